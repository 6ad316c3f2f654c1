/**
 * The palette, derived from the catalog (never a hand-written list): triggers (Dynamics events per
 * table, then the other applications' events), Dynamics actions grouped by object, and the toolbox
 * (HTTP request and the toolbox applications' actions). Discovered tables beyond the built-in
 * objects are offered under "Show more". Search filters every group by title and description.
 */
import type { CatalogApplication, CatalogEntry } from '@/lib/connectors/application';
import type { CatalogObject } from '@/lib/dynamics/connector/catalog';

export interface PaletteItem {
  /** The node type it inserts (`dynamics.lead.new`, `toolbox.if`, …). */
  type: string;
  title: string;
  description: string;
  /** Which application draws it (icon and colour). */
  application: string;
  needsAccount: boolean;
}

export interface PaletteGroup {
  id: string;
  title: string;
  items: PaletteItem[];
  /** Offered under "Show more" (discovered tables, configurable events). */
  more?: boolean;
}

export interface PaletteSection {
  id: 'triggers' | 'actions' | 'toolbox';
  title: string;
  groups: PaletteGroup[];
}

type AppWithObjects = CatalogApplication & { objects?: CatalogObject[] };

const toItem = (app: string, needsAccount: boolean) => (e: CatalogEntry) => ({
  type: e.id,
  title: e.title,
  description: e.description,
  application: app,
  needsAccount,
});

export function paletteSections(applications: readonly AppWithObjects[], query = ''): PaletteSection[] {
  const q = query.trim().toLowerCase();
  const matches = (i: PaletteItem) => !q || `${i.title} ${i.description} ${i.type}`.toLowerCase().includes(q);
  const filterGroups = (groups: PaletteGroup[]) =>
    groups.map((g) => ({ ...g, items: g.items.filter(matches) })).filter((g) => g.items.length > 0);

  const dynamics = applications.find((a) => a.objects !== undefined);
  const objects = dynamics?.objects ?? [];
  const others = applications.filter((a) => a !== dynamics);

  const triggerGroups: PaletteGroup[] = [
    ...objects.map((o) => ({
      id: `events:${o.table}`,
      title: o.displayCollectionName,
      items: o.events.filter((e) => !e.configurable).map(toItem('dynamics', true)),
      more: !o.builtIn,
    })),
    ...objects.map((o) => ({
      id: `events-more:${o.table}`,
      title: `${o.displayCollectionName}: more events`,
      items: o.events.filter((e) => e.configurable).map(toItem('dynamics', true)),
      more: true,
    })),
    ...others
      .filter((a) => a.events.length > 0)
      .map((a) => ({ id: `events:${a.id}`, title: a.title, items: a.events.map(toItem(a.id, false)) })),
  ];
  const actionGroups: PaletteGroup[] = objects.map((o) => ({
    id: `actions:${o.table}`,
    title: o.displayCollectionName,
    items: o.actions.map(toItem('dynamics', true)),
    more: !o.builtIn,
  }));
  const toolboxGroups: PaletteGroup[] = others
    .filter((a) => a.actions.length > 0)
    .map((a) => ({ id: `actions:${a.id}`, title: a.title, items: a.actions.map(toItem(a.id, false)) }));

  return [
    { id: 'triggers' as const, title: 'Triggers', groups: filterGroups(triggerGroups) },
    { id: 'actions' as const, title: 'Dynamics actions', groups: filterGroups(actionGroups) },
    { id: 'toolbox' as const, title: 'Toolbox', groups: filterGroups(toolboxGroups) },
  ].filter((s) => s.groups.length > 0);
}

/** Every item, flat (the keyboard step picker). */
export const paletteItems = (sections: readonly PaletteSection[]) => sections.flatMap((s) => s.groups.flatMap((g) => g.items));
