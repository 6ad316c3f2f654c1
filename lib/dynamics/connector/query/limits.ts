/**
 * Limits of Retrieve, Update and Delete. The ceiling equals Dataverse's largest page (5,000 rows)
 * and the planned For each loop cap (5,000 iterations): more than that in one step is
 * almost always a mapping mistake, and bigger jobs belong in a paged loop.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
 */
export const DEFAULT_MAX_ITEMS = 10;
export const MAX_ITEMS_CEILING = 5000;
/** Update/Delete by conditions: rows that may match before the step fails with nothing written. */
export const DEFAULT_MAX_MATCHES = 1;
export const MAX_MATCHES_CEILING = 5000;
/** Conditions per step (nested groups included): keeps URLs well under Dataverse's limits. */
export const MAX_CONDITIONS = 50;
