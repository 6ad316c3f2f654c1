/** What the catalog shows of an application; built from GET /api/connectors. */
export interface CatalogItem {
  id: string;
  title: string;
  description?: string;
}

export interface CatalogGroup {
  object: string;
  items: CatalogItem[];
}

export interface CatalogApplication {
  id: string;
  title: string;
  description: string;
  kind: 'application' | 'toolbox';
  /** Events shown by default, and the configurable ones behind "Show more". */
  events: CatalogItem[];
  moreEvents: CatalogItem[];
  actionGroups: CatalogGroup[];
}

export interface DiscoveredTable {
  logicalName: string;
  title: string;
  actions: CatalogItem[];
  events: CatalogItem[];
}
