/**
 * The request log tests read through `GET /_sandbox/requests` to assert what a client actually
 * sent. Bounded ring (entries and bytes); bearer tokens and secrets are redacted.
 */
import { MAX_LOG_BYTES, MAX_LOG_ENTRIES } from './util/limits';
export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  /** path after the sandbox base path, with the query string */
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  durationMs: number;
  fault?: string;
  user?: string;
}

const SECRET_FIELDS = /(^|&)(password|client_secret|refresh_token|code|code_verifier|client_assertion)=[^&]*/g;

export function redactBody(body: string, isForm: boolean): string {
  const text = body.length > 16_384 ? `${body.slice(0, 16_384)}…` : body;
  return isForm ? text.replace(SECRET_FIELDS, (_m, pre: string, k: string) => `${pre}${k}=***`) : text;
}

export function redactHeaders(headers: { forEach(cb: (value: string, key: string) => void): void }): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((v, k) => {
    if (k === 'authorization') out[k] = v.replace(/^(Bearer|Basic)\s+.*/i, '$1 ***');
    else if (k === 'cookie') out[k] = '***';
    else out[k] = v;
  });
  return out;
}

/** The size an entry holds in memory, roughly (strings as UTF-16). */
function entrySize(e: Omit<LoggedRequest, 'seq'>): number {
  let n = 128 + (e.path.length + e.body.length + e.method.length + (e.user?.length ?? 0) + (e.fault?.length ?? 0)) * 2;
  for (const [k, v] of Object.entries(e.headers)) n += (k.length + v.length) * 2 + 32;
  return n;
}

/** Bounded by count and by total size; the oldest entries go first. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private sizes: number[] = [];
  private bytes = 0;
  private seq = 0;

  constructor(
    private readonly capacity = MAX_LOG_ENTRIES,
    private readonly maxBytes = MAX_LOG_BYTES,
  ) {}

  add(e: Omit<LoggedRequest, 'seq'>): void {
    this.seq++;
    const size = entrySize(e);
    this.entries.push({ seq: this.seq, ...e });
    this.sizes.push(size);
    this.bytes += size;
    let drop = 0;
    while (this.entries.length - drop > 1 && (this.entries.length - drop > this.capacity || this.bytes > this.maxBytes)) {
      this.bytes -= this.sizes[drop] ?? 0;
      drop++;
    }
    if (drop) {
      this.entries.splice(0, drop);
      this.sizes.splice(0, drop);
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.length, bytes: this.bytes };
  }

  query(q: { since?: number; path?: string; method?: string; limit?: number }): { value: LoggedRequest[]; last: number } {
    let list = this.entries;
    if (q.since !== undefined) list = list.filter((e) => e.seq > (q.since ?? 0));
    if (q.path) list = list.filter((e) => e.path.includes(q.path ?? ''));
    if (q.method) list = list.filter((e) => e.method === q.method?.toUpperCase());
    if (q.limit !== undefined) list = list.slice(-q.limit);
    return { value: list, last: this.seq };
  }

  clear(): void {
    this.entries = [];
    this.sizes = [];
    this.bytes = 0;
  }
}
