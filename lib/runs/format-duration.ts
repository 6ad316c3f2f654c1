/**
 * A duration as people read it in a run list: milliseconds under a second, one decimal under ten
 * seconds (where the decimal still tells something), then whole units, at most two of them.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1_000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return joinUnits(totalMinutes, 'min', totalSeconds % 60, 's');
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return joinUnits(totalHours, 'h', totalMinutes % 60, 'min');
  return joinUnits(Math.floor(totalHours / 24), 'd', totalHours % 24, 'h');
}

function joinUnits(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}
