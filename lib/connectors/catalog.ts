import { catalogObject, dynamicsApplication, type DynamicsApplication } from '../dynamics/connector/catalog';
import { dynamicsConnector } from '../dynamics/connector/dynamics-connector';
import type { CatalogApplication } from './application';
import { TOOLBOX } from './toolbox';

/**
 * Dynamics 365 for Sales first (its six built-in objects), then the toolbox.
 * @example listApplications()[0].actions.length // 30
 */
export function listApplications(): [DynamicsApplication, ...CatalogApplication[]] {
  const objects = dynamicsConnector.builtInTables.map((t) => catalogObject(dynamicsConnector, t, true));
  return [
    dynamicsApplication(objects),
    ...TOOLBOX.map((app) => ({
      id: app.id,
      title: app.title,
      description: app.description,
      requiresAccount: false,
      events: app.events,
      actions: app.actions,
    })),
  ];
}
