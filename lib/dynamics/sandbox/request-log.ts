/**
 * The request log tests read through `GET /_sandbox/requests` to assert what a client actually
 * sent. Bounded ring; bearer tokens and secrets are redacted.
 */
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
  const text = body.length > 65_536 ? `${body.slice(0, 65_536)}…` : body;
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

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly capacity = 2000) {}

  add(e: Omit<LoggedRequest, 'seq'>): void {
    this.seq++;
    this.entries.push({ seq: this.seq, ...e });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
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
  }
}
