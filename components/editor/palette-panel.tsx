'use client';

import { useMemo, useState } from 'react';
import { Icon } from '@/components/ui/icon';
import type { PaletteItem, PaletteSection } from '@/lib/editor/palette';
import { AppBadge } from './app-badge';
import { STEP_DRAG_TYPE } from './flow-canvas';

/**
 * The palette: triggers, Dynamics actions by object and the toolbox. Items are dragged onto the
 * canvas; clicking (or Enter) adds the step after the selected one. Discovered tables and the
 * less common events wait under "Show more".
 */
export function PalettePanel({
  sections,
  query,
  onQuery,
  onPick,
  hasTrigger,
}: {
  sections: PaletteSection[];
  query: string;
  onQuery(q: string): void;
  onPick(item: PaletteItem): void;
  hasTrigger: boolean;
}) {
  const [showMore, setShowMore] = useState(false);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const searching = query.trim().length > 0;
  const visible = useMemo(
    () =>
      sections
        .map((s) => ({
          ...s,
          groups: s.groups.filter((g) => searching || showMore || !g.more),
          hidden: s.groups.filter((g) => g.more).length,
        }))
        .filter((s) => s.groups.length > 0 && !(s.id === 'triggers' && hasTrigger && !searching)),
    [sections, searching, showMore, hasTrigger],
  );

  return (
    <aside
      aria-label="Steps"
      className="flex h-full w-72 shrink-0 flex-col border-r border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="border-b border-slate-200 p-3 dark:border-slate-800">
        <label htmlFor="palette-search" className="sr-only">
          Search steps
        </label>
        <div className="relative">
          <Icon name="search" className="pointer-events-none absolute left-2.5 top-2.5 h-4 w-4 text-slate-400" />
          <input
            id="palette-search"
            type="search"
            value={query}
            onChange={(e) => onQuery(e.target.value)}
            placeholder="Search steps"
            className="field-input pl-8"
          />
        </div>
        <p className="mt-2 text-xs text-slate-500">Drag a step onto the canvas, or click to add it after the selected step.</p>
      </div>
      <div className="flex-1 overflow-y-auto p-2">
        {visible.length === 0 && <p className="p-3 text-sm text-slate-500">No step matches “{query}”.</p>}
        {visible.map((section) => (
          <section key={section.id} className="mb-3" aria-labelledby={`palette-${section.id}`}>
            <h2 id={`palette-${section.id}`} className="px-2 py-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
              {section.title}
            </h2>
            {section.groups.map((group) => {
              const expanded = searching || open[group.id] !== false;
              return (
                <div key={group.id} className="mb-1">
                  <button
                    type="button"
                    className="flex w-full items-center gap-1 rounded px-2 py-1 text-left text-xs font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                    aria-expanded={expanded}
                    onClick={() => setOpen((o) => ({ ...o, [group.id]: !expanded }))}
                  >
                    <Icon name="chevron" className={`h-3 w-3 transition-transform ${expanded ? 'rotate-90' : ''}`} />
                    {group.title}
                  </button>
                  {expanded && (
                    <ul className="space-y-0.5">
                      {group.items.map((item) => (
                        <li key={item.type}>
                          <button
                            type="button"
                            draggable
                            data-step-type={item.type}
                            onDragStart={(e) => {
                              e.dataTransfer.setData(STEP_DRAG_TYPE, item.type);
                              e.dataTransfer.effectAllowed = 'copy';
                            }}
                            onClick={() => onPick(item)}
                            title={item.description}
                            className="flex w-full cursor-grab items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm text-slate-800 hover:bg-brand-50 active:cursor-grabbing dark:text-slate-100 dark:hover:bg-slate-800"
                          >
                            <AppBadge application={item.application} size="sm" />
                            <span className="truncate">{item.title}</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              );
            })}
          </section>
        ))}
        {!searching && (
          <button type="button" className="btn-secondary m-2 w-[calc(100%-1rem)] text-xs" onClick={() => setShowMore((v) => !v)}>
            {showMore ? 'Show fewer' : 'Show more tables and events'}
          </button>
        )}
      </div>
    </aside>
  );
}
