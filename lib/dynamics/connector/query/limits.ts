/**
 * Limits of Retrieve, Update and Delete. The ceiling equals Dataverse's largest page (5,000 rows,
 * reference §2.3) and the For each loop cap (conventions R11): more than that in one step is
 * almost always a mapping mistake, and bigger jobs belong in a paged loop.
 */
export const DEFAULT_MAX_ITEMS = 10;
export const MAX_ITEMS_CEILING = 5000;
/** Update/Delete by conditions: rows that may match before the step fails with nothing written. */
export const DEFAULT_MAX_MATCHES = 1;
export const MAX_MATCHES_CEILING = 5000;
/** Conditions per step (nested groups included): keeps URLs well under Dataverse's limits. */
export const MAX_CONDITIONS = 50;
