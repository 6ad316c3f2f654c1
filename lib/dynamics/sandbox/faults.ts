/**
 * Fault injection for tests and benchmarks: a share of matching requests answered 429 (with
 * Retry-After, like service protection), 503, 500, a dropped connection, or delayed — or `drop_after`:
 * the request is carried out (a create is committed) and then the connection is dropped, the "answer
 * lost" case that retries must survive. Rules are sampled with a seeded PRNG so a run is
 * reproducible; `count` limits how many times a rule fires.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import { z } from 'zod';
import { mulberry32 } from './util/prng';

export const faultRuleSchema = z.object({
  kind: z.enum(['429', '503', '500', 'drop', 'drop_after', 'delay']),
  /** share of matching requests, 0..1 (default 1) */
  rate: z.number().min(0).max(1).default(1),
  /** fire at most this many times (default unlimited) */
  count: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  method: z.string().optional(),
  /** substring of the path (after the sandbox base path, query included) */
  path: z.string().optional(),
  /** which endpoints: the Web API (default), the identity endpoint, or both */
  scope: z.enum(['api', 'identity', 'all']).default('api'),
});

export const faultConfigSchema = z.object({
  rules: z.array(faultRuleSchema).max(50),
  seed: z.number().int().optional(),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;

export interface FaultDecision {
  delayMs: number;
  failure: FaultRule | null;
}

export class Faults {
  private rules: Array<FaultRule & { fired: number }> = [];
  private rnd = mulberry32(1);
  injected = 0;

  set(rules: FaultRule[], seed = 1): void {
    this.rules = rules.map((r) => ({ ...r, fired: 0 }));
    this.rnd = mulberry32(seed);
    this.injected = 0;
  }

  clear(): void {
    this.set([]);
  }

  list(): Array<FaultRule & { fired: number }> {
    return this.rules.map((r) => ({ ...r }));
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  decide(scope: 'api' | 'identity', method: string, path: string): FaultDecision {
    const d: FaultDecision = { delayMs: 0, failure: null };
    for (const r of this.rules) {
      if (r.scope !== 'all' && r.scope !== scope) continue;
      if (r.method && r.method.toUpperCase() !== method) continue;
      if (r.path && !path.includes(r.path)) continue;
      if (r.count !== undefined && r.fired >= r.count) continue;
      if (r.kind !== 'delay' && d.failure) continue;
      if (this.rnd() >= r.rate) continue;
      r.fired++;
      this.injected++;
      if (r.kind === 'delay') d.delayMs += r.delayMs ?? 1000;
      else d.failure = r;
    }
    return d;
  }
}
