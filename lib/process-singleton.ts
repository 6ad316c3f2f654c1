/**
 * One value per process, however many copies of a module the bundler makes. Next bundles each
 * route separately, so module-level state (token caches, throttles) could otherwise exist once per
 * route — and two refreshes or two Retry-After clocks for one account would break their guarantees.
 * @example const registry = processSingleton('dfd.throttles', () => new Map());
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`dynamics-flow-designer.${name}`);
  const holder = globalThis as Record<symbol, unknown>;
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}
