import { Document, isCollection } from 'yaml';
import type { DraftDocument, FlowDocument } from '../model/schema';
import { isSecretKey } from '../steps/redact';
import { CURRENT_FORMAT_VERSION, FLOW_FORMAT, PLACEHOLDER_PATTERN, TEMPLATE_FORMAT, type TemplateInfo } from './portable-flow-schema';

export const EXPORT_HEADER =
  ' A flow exported from Dynamics Flow Designer. Accounts are placeholders: importing asks which account fills each.';

/** The label of a placeholder whose account is gone (deleted since the flow was built). */
export const UNKNOWN_ACCOUNT_LABEL = 'Dynamics 365 account';

export interface ExportOptions {
  /** Makes a template file (format dynamics-flow-designer/template) with this block. */
  template?: TemplateInfo;
}

type AnyDocument = FlowDocument | DraftDocument;
type AnyNode = AnyDocument['nodes'][number];

/**
 * A flow document as a portable YAML file: stable key order (format, formatVersion, template?,
 * accounts, flow; inside the flow the schema's field order), every distinct account id replaced by
 * a placeholder named from the account's display name, and nothing secret: no credentials, no
 * invoke key, no real account id; a literal value of an HTTP request header or query parameter
 * with a secret-looking name (Authorization, api_key, …) is left empty and named in the header.
 *
 * @example exportPortableFlow(document, new Map([['01J…', 'Contoso sales']])) // "# A flow exported …\nformat: dynamics-flow-designer/flow\n…"
 */
export function exportPortableFlow(document: AnyDocument, accountNames: ReadonlyMap<string, string>, options: ExportOptions = {}): string {
  const placeholders = assignPlaceholders(document.nodes, accountNames);
  const removed: string[] = [];
  const file = {
    format: options.template ? TEMPLATE_FORMAT : FLOW_FORMAT,
    formatVersion: CURRENT_FORMAT_VERSION,
    ...(options.template ? { template: orderedTemplate(options.template) } : {}),
    accounts: Object.fromEntries([...placeholders.values()].map(({ key, label }) => [key, { label }])),
    flow: {
      schemaVersion: document.schemaVersion,
      name: document.name,
      description: document.description,
      nodes: document.nodes.map((node) => orderedNode(node, placeholders, removed)),
      edges: document.edges.map((edge) => ({
        id: edge.id,
        from: { node: edge.from.node, handle: edge.from.handle },
        to: { node: edge.to.node },
      })),
    },
  };
  const yaml = new Document(file, { aliasDuplicateObjects: false });
  compactSmallMaps(yaml, document.nodes.length, document.edges.length);
  // Written by hand rather than as the document's comment, which yaml separates from the first key by a blank line.
  const header = [
    EXPORT_HEADER,
    ...(removed.length ? [` Secret values were left out; fill them in after importing: ${removed.join(', ')}.`] : []),
  ];
  return `${header.map((line) => `#${line}\n`).join('')}${yaml.toString({ lineWidth: 0, indent: 2, indentSeq: true })}`;
}

/** Placeholder per distinct account id, in the order the steps first use them. */
function assignPlaceholders(
  nodes: readonly AnyNode[],
  accountNames: ReadonlyMap<string, string>,
): Map<string, { key: string; label: string }> {
  const byAccount = new Map<string, { key: string; label: string }>();
  const taken = new Set<string>();
  for (const node of nodes) {
    const accountId = node.params.accountId;
    if (accountId === undefined || byAccount.has(accountId)) continue;
    const name = accountNames.get(accountId)?.trim().slice(0, 200);
    const label = name || UNKNOWN_ACCOUNT_LABEL;
    const key = uniqueSlug(placeholderSlug(label), taken);
    taken.add(key);
    byAccount.set(accountId, { key, label });
  }
  return byAccount;
}

/**
 * A placeholder name from a display name: lower-case ASCII letters, digits and single dashes,
 * starting with a letter, at most 40 characters.
 * @example placeholderSlug('Contoso Sales (EU)') // 'contoso-sales-eu'
 */
export function placeholderSlug(name: string): string {
  let slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(slug)) slug = slug ? `account-${slug}` : 'account';
  return trimSlug(slug, 40);
}

function uniqueSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${trimSlug(base, 40 - suffix.length)}${suffix}`;
    if (!taken.has(candidate) && PLACEHOLDER_PATTERN.test(candidate)) return candidate;
  }
}

function trimSlug(slug: string, max: number): string {
  return slug.slice(0, max).replace(/-+$/, '');
}

function orderedTemplate(template: TemplateInfo): TemplateInfo {
  return { title: template.title, summary: template.summary, timeSaved: template.timeSaved, keywords: [...template.keywords] };
}

function orderedNode(node: AnyNode, placeholders: ReadonlyMap<string, { key: string }>, removed: string[]) {
  const { accountId, inputs, retry, onError } = node.params;
  return {
    id: node.id,
    type: node.type,
    typeVersion: node.typeVersion,
    ...(node.name !== undefined ? { name: node.name } : {}),
    position: { x: node.position.x, y: node.position.y },
    params: {
      ...(accountId !== undefined ? { accountId: placeholders.get(accountId)!.key } : {}),
      inputs: node.type === 'http.request' ? withoutSecrets(node, inputs, removed) : cloneJson(inputs),
      ...(retry !== undefined
        ? { retry: { maxAttempts: retry.maxAttempts, delaySeconds: retry.delaySeconds, backoff: retry.backoff } }
        : {}),
      ...(onError !== undefined ? { onError } : {}),
    },
  };
}

/** An HTTP request's literal secret headers and query parameters, emptied (an expression or reference stays: it holds no secret itself). */
function withoutSecrets(node: AnyNode, inputs: Record<string, unknown>, removed: string[]): Record<string, unknown> {
  const copy = cloneJson(inputs);
  for (const map of ['headers', 'query'] as const) {
    const entries = copy[map];
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) continue;
    for (const [name, value] of Object.entries(entries as Record<string, unknown>)) {
      if (isSecretKey(name) && typeof value === 'string' && value !== '') {
        (entries as Record<string, unknown>)[name] = '';
        // The name goes into a comment line: no line break may end the comment early.
        const printable = [...name].map((c) => (isControl(c) ? ' ' : c)).join('');
        removed.push(`step ${node.id} ${map === 'headers' ? 'header' : 'query parameter'} ${printable}`);
      }
    }
  }
  return copy;
}

function isControl(char: string): boolean {
  const code = char.codePointAt(0)!;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `position: { x: 0, y: 0 }`, an edge's ends and `keywords: [a, b]` on one line: easier to read, same data. */
function compactSmallMaps(doc: Document, nodeCount: number, edgeCount: number): void {
  const paths: (string | number)[][] = [['template', 'keywords']];
  for (let i = 0; i < nodeCount; i++) paths.push(['flow', 'nodes', i, 'position']);
  for (let i = 0; i < edgeCount; i++) paths.push(['flow', 'edges', i, 'from'], ['flow', 'edges', i, 'to']);
  for (const path of paths) {
    const node: unknown = doc.getIn(path, true);
    if (isCollection(node)) node.flow = true;
  }
}
