/**
 * What the app-wide catalog says about one application (Dynamics or a toolbox group): its events and
 * actions. Types only, so an application can describe itself without depending on the list.
 */
export interface CatalogEntry {
  id: string;
  kind: 'trigger' | 'action';
  title: string;
  description: string;
}

export interface CatalogApplication {
  id: string;
  title: string;
  description: string;
  requiresAccount: boolean;
  authMethods?: readonly { id: string; title: string; shortTitle: string; summary: string }[];
  events: CatalogEntry[];
  actions: CatalogEntry[];
}
