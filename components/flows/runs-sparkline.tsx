import type { RunsWindow } from '@/lib/flows/service/flow-list-item';

const BAR = 3;
const GAP = 1;
const HEIGHT = 24;

export function sparklineLabel(window: Pick<RunsWindow, 'runs' | 'succeeded' | 'failed'>): string {
  if (window.runs === 0) return 'No runs in the last 24 hours';
  const runs = window.runs === 1 ? '1 run' : `${window.runs} runs`;
  const others = window.runs - window.succeeded - window.failed;
  return `${runs} in the last 24 hours: ${window.succeeded} succeeded, ${window.failed} failed${others > 0 ? `, ${others} queued, running or cancelled` : ''}`;
}

export function RunsSparkline({ window }: { window: RunsWindow }) {
  const hours = window.succeededByHour.map((ok, i) => ({ ok, failed: window.failedByHour[i] ?? 0 }));
  const peak = Math.max(1, ...hours.map((h) => h.ok + h.failed));
  const width = hours.length * (BAR + GAP) - GAP;
  const label = sparklineLabel(window);
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="runs-sparkline"
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      className="shrink-0 overflow-visible"
    >
      <title>{label}</title>
      {hours.map((h, i) => {
        const x = i * (BAR + GAP);
        const okHeight = (h.ok / peak) * HEIGHT;
        const failedHeight = (h.failed / peak) * HEIGHT;
        return (
          <g key={i}>
            <rect x={x} y={HEIGHT - 1} width={BAR} height={1} className="fill-slate-200 dark:fill-slate-700" />
            {h.ok > 0 && <rect x={x} y={HEIGHT - okHeight} width={BAR} height={okHeight} rx={0.5} className="fill-emerald-500" />}
            {h.failed > 0 && (
              <rect x={x} y={HEIGHT - okHeight - failedHeight} width={BAR} height={failedHeight} rx={0.5} className="fill-red-500" />
            )}
          </g>
        );
      })}
    </svg>
  );
}
