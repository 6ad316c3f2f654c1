'use client';

import { Command } from 'cmdk';
import type { PaletteItem, PaletteSection } from '@/lib/editor/palette';
import { AppBadge } from './app-badge';

/**
 * The keyboard-first step picker (`/` or Ctrl+K): typing filters, arrows move, Enter inserts the
 * step after the selected one. cmdk gives the accessible combobox and list.
 */
export function StepPicker({
  open,
  onOpenChange,
  sections,
  onPick,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  sections: PaletteSection[];
  onPick(item: PaletteItem): void;
}) {
  return (
    <Command.Dialog
      open={open}
      onOpenChange={onOpenChange}
      label="Add a step"
      className="fixed left-1/2 top-24 z-50 w-[32rem] max-w-[calc(100vw-2rem)] -translate-x-1/2 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-2xl dark:border-slate-700 dark:bg-slate-900"
      overlayClassName="fixed inset-0 z-40 bg-slate-900/30"
      filter={rank}
    >
      <Command.Input
        autoFocus
        placeholder="Add a step: type to search…"
        className="w-full border-b border-slate-200 bg-transparent px-4 py-3 text-sm outline-none dark:border-slate-700"
      />
      <Command.List className="max-h-96 overflow-y-auto p-2">
        <Command.Empty className="p-3 text-sm text-slate-500">No step matches.</Command.Empty>
        {sections.map((section) =>
          section.groups.map((group) => (
            <Command.Group
              key={group.id}
              heading={`${section.title} · ${group.title}`}
              className="[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:text-slate-500"
            >
              {group.items.map((item) => (
                <Command.Item
                  key={item.type}
                  value={`${item.title} ${group.title} ${item.type}`}
                  keywords={[item.title]}
                  onSelect={() => {
                    onPick(item);
                    onOpenChange(false);
                  }}
                  className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm data-[selected=true]:bg-brand-50 dark:data-[selected=true]:bg-slate-800"
                >
                  <AppBadge application={item.application} size="sm" />
                  {item.title}
                </Command.Item>
              ))}
            </Command.Group>
          )),
        )}
      </Command.List>
    </Command.Dialog>
  );
}

/**
 * Plain ranking instead of cmdk's fuzzy one: a step whose title is what was typed comes first, then
 * titles that start with it, contain it, then any text of the item holding every word typed. Fuzzy
 * matching ranked "Delete unit group" above "Log" for "log".
 */
function rank(value: string, search: string, keywords?: string[]): number {
  const q = search.trim().toLowerCase();
  if (!q) return 1;
  const title = (keywords?.[0] ?? '').toLowerCase();
  const text = value.toLowerCase();
  if (title === q) return 1;
  if (title.startsWith(q)) return 0.9;
  if (title.split(/\s+/).some((w) => w.startsWith(q))) return 0.8;
  if (title.includes(q)) return 0.7;
  return q.split(/\s+/).every((w) => text.includes(w)) ? 0.4 : 0;
}
