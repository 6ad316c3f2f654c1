/**
 * The `Prefer` request header: comma-separated preferences, possibly spread over several header
 * lines; `odata.include-annotations` takes a quoted comma list with `*` and `prefix*` wildcards.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 */
export interface Preferences {
  returnRepresentation: boolean;
  maxPageSize: number | null;
  trackChanges: boolean;
  continueOnError: boolean;
  /** raw include-annotations value (without quotes), or null */
  annotations: string | null;
}

export function parsePrefer(header: string | null): Preferences {
  const prefs: Preferences = {
    returnRepresentation: false,
    maxPageSize: null,
    trackChanges: false,
    continueOnError: false,
    annotations: null,
  };
  if (!header) return prefs;
  // Split on commas that are not inside quotes.
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ''
        : p
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, '');
    if (name === 'return' && value === 'representation') prefs.returnRepresentation = true;
    else if (name === 'odata.maxpagesize') {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) prefs.maxPageSize = n;
    } else if (name === 'odata.track-changes') prefs.trackChanges = true;
    else if (name === 'odata.continue-on-error') prefs.continueOnError = true;
    else if (name === 'odata.include-annotations') prefs.annotations = value;
  }
  return prefs;
}

/** Matcher for annotation names against an include-annotations list (`*`, exact, `prefix*`). */
export function annotationMatcher(value: string | null): (name: string) => boolean {
  if (!value) return () => false;
  const patterns = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (patterns.includes('*')) return () => true;
  return (name) => patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));
}

export const ANN = {
  formatted: 'OData.Community.Display.V1.FormattedValue',
  navProp: 'Microsoft.Dynamics.CRM.associatednavigationproperty',
  logicalName: 'Microsoft.Dynamics.CRM.lookuplogicalname',
  totalCount: 'Microsoft.Dynamics.CRM.totalrecordcount',
  totalCountExceeded: 'Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded',
  globalMetadataVersion: 'Microsoft.Dynamics.CRM.globalmetadataversion',
  errorDetails: 'Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionMessageName',
} as const;
