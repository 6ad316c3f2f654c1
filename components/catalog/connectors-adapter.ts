import { apiFetch } from '@/lib/browser/api-fetch';
import type { CatalogApplication as ApiApplication } from '@/lib/connectors/application';
import type { CatalogObject } from '@/lib/dynamics/connector/catalog';
import type { CatalogApplication, DiscoveredTable } from './catalog-types';

const item = (e: { id: string; title: string; description: string }) => ({ id: e.id, title: e.title, description: e.description });

/** GET /api/connectors, shaped for the catalog's cards. */
export async function fetchCatalogApplications(): Promise<CatalogApplication[]> {
  const { applications } = await apiFetch<{ applications: (ApiApplication & { objects?: CatalogObject[] })[] }>('/api/connectors');
  return applications.map((app) => {
    const objects = app.objects ?? [];
    const events = objects.length ? objects.flatMap((o) => o.events) : app.events.map((e) => ({ ...e, configurable: false }));
    return {
      id: app.id,
      title: app.title,
      description: app.description,
      kind: app.requiresAccount ? 'application' : 'toolbox',
      events: events.filter((e) => !('configurable' in e) || !e.configurable).map(item),
      moreEvents: events.filter((e) => 'configurable' in e && e.configurable).map(item),
      actionGroups: objects.length
        ? objects.map((o) => ({ object: o.displayCollectionName, items: o.actions.map(item) }))
        : app.actions.length
          ? [{ object: 'Actions', items: app.actions.map(item) }]
          : [],
    };
  });
}

/** The tables an account offers beyond the six built-in objects ("Show more"). */
export async function fetchDiscoveredTables(accountId: string): Promise<DiscoveredTable[]> {
  const catalog = await apiFetch<{ application: { objects?: CatalogObject[] } }>(
    `/api/connectors/dynamics?account=${encodeURIComponent(accountId)}&details=0`,
  );
  return (catalog.application.objects ?? [])
    .filter((o) => !o.builtIn)
    .map((o) => ({ logicalName: o.table, title: o.displayName, actions: o.actions.map(item), events: o.events.map(item) }));
}
