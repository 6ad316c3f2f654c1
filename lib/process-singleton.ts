/**
 * One value per process, however many copies of a module the bundler makes. Next bundles each
 * route separately, so module-level state (token caches, throttles) could otherwise exist once per
 * route — and two refreshes or two Retry-After clocks for one account would break their guarantees.
 * @example const registry = processSingleton('dfd.throttles', () => new Map());
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = keyOf(name);
  const holder = globalThis as Record<symbol, unknown>;
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}

/** Direct access to the value `processSingleton` keeps under a name. */
export interface ProcessSlot<T> {
  /** The value now, or `undefined` when none was created (or it was forgotten). */
  get(): T | undefined;
  /** Replaces the value; `undefined` forgets it, so the next `processSingleton` call creates a new one. */
  set(value: T | undefined): void;
}

/**
 * The companion of `processSingleton` for a value that is replaced or forgotten: a setter for
 * start-up code and tests, a close that lets the next use open again, a failed start retried.
 * @example const slot = processSlot<Keyring>('keyring'); slot.set(undefined); // reload on next use
 */
export function processSlot<T>(name: string): ProcessSlot<T> {
  const key = keyOf(name);
  const holder = globalThis as Record<symbol, unknown>;
  return {
    get: () => holder[key] as T | undefined,
    set: (value) => {
      if (value === undefined) delete holder[key];
      else holder[key] = value;
    },
  };
}

function keyOf(name: string): symbol {
  return Symbol.for(`dynamics-flow-designer.${name}`);
}
