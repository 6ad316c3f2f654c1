import { OUTLINE_NODE, outlineOrder, type FlowOutline, type OutlineKind } from './flow-outline';

const PAD = 24;
const MIN_WIDTH = 1000;

const STYLE: Record<OutlineKind, { fill: string; stroke: string; mark: string }> = {
  trigger: { fill: 'fill-brand-50 dark:fill-slate-800', stroke: 'stroke-brand-500', mark: 'fill-brand-600' },
  dynamics: { fill: 'fill-white dark:fill-slate-900', stroke: 'stroke-sky-500', mark: 'fill-sky-600' },
  branch: { fill: 'fill-white dark:fill-slate-900', stroke: 'stroke-amber-500', mark: 'fill-amber-500' },
  loop: { fill: 'fill-white dark:fill-slate-900', stroke: 'stroke-violet-500', mark: 'fill-violet-500' },
  step: { fill: 'fill-white dark:fill-slate-900', stroke: 'stroke-slate-400', mark: 'fill-slate-400' },
};

export function MiniFlow({ outline, className = '' }: { outline: FlowOutline; className?: string }) {
  const { width: w, height: h } = OUTLINE_NODE;
  const byId = new Map(outline.nodes.map((n) => [n.id, n]));
  // A short flow is not blown up: the box is at least MIN_WIDTH wide, with the flow centred in it.
  const boxWidth = Math.max(outline.width, MIN_WIDTH) + 2 * PAD;
  const boxHeight = Math.max(outline.height, 140) + 2 * PAD;
  const viewBox = `${-(boxWidth - outline.width) / 2} ${-(boxHeight - outline.height) / 2} ${boxWidth} ${boxHeight}`;
  const label = `Flow preview: ${outlineOrder(outline)
    .map((n) => n.name)
    .join(', then ')}`;
  return (
    <svg viewBox={viewBox} preserveAspectRatio="xMidYMid meet" role="img" aria-label={label} className={className}>
      {outline.edges.map((e, i) => {
        const a = byId.get(e.from)!;
        const b = byId.get(e.to)!;
        const x1 = a.x + w;
        const y1 = a.y + h / 2;
        const x2 = b.x;
        const y2 = b.y + h / 2;
        const mid = (x1 + x2) / 2;
        return (
          <path
            key={i}
            d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
            className={`fill-none ${e.handle === 'error' ? 'stroke-red-400' : 'stroke-slate-300 dark:stroke-slate-600'}`}
            strokeWidth={5}
            strokeDasharray={e.handle === 'else' || e.handle === 'error' ? '14 10' : undefined}
          />
        );
      })}
      {outline.nodes.map((n) => {
        const s = STYLE[n.kind];
        return (
          <g key={n.id} transform={`translate(${n.x},${n.y})`}>
            <rect width={w} height={h} rx={14} className={`${s.fill} ${s.stroke}`} strokeWidth={5} />
            {n.kind === 'branch' ? (
              <path d="M32,14 L50,32 L32,50 L14,32 Z" className={s.mark} />
            ) : n.kind === 'trigger' ? (
              <path d="M36,10 L18,36 L31,36 L28,54 L46,28 L33,28 Z" className={s.mark} />
            ) : (
              <circle cx={32} cy={32} r={14} className={s.mark} />
            )}
            <rect x={62} y={20} width={96} height={9} rx={4.5} className="fill-slate-300 dark:fill-slate-600" />
            <rect x={62} y={36} width={64} height={8} rx={4} className="fill-slate-200 dark:fill-slate-700" />
          </g>
        );
      })}
    </svg>
  );
}
