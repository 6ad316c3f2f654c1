/**
 * multipart/mixed parsing and writing for `$batch`. Accepts CRLF, LF-only and mixed line endings
 * (dynamics-web-api joins with `\n`), quoted or bare boundaries, absolute or relative request URLs.
 * Responses use CRLF, `batchresponse_<guid>` / `changesetresponse_<guid>` boundaries.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { DataverseError, codes } from '../errors';

export interface HttpPart {
  kind: 'request';
  headers: Map<string, string>;
  method: string;
  url: string;
  requestHeaders: Map<string, string>;
  body: string;
  contentId: string | null;
}

export interface ChangeSet {
  kind: 'changeset';
  parts: HttpPart[];
}

export type BatchItem = HttpPart | ChangeSet;

export function boundaryOf(contentType: string | null): string | null {
  if (!contentType || !/^multipart\/mixed/i.test(contentType.trim())) return null;
  const m = /boundary\s*=\s*("([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[2] ?? m[3] ?? null) : null;
}

function bad(message: string): DataverseError {
  return new DataverseError(400, codes.payload, message);
}

/** Splits a multipart body into raw part texts (line endings normalized to LF). */
function splitParts(body: string, boundary: string): string[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const delim = `--${boundary}`;
  const parts: string[] = [];
  let cur: string[] | null = null;
  let closed = false;
  for (const line of lines) {
    const t = line.trimEnd();
    if (t === delim || t === `${delim}--`) {
      if (cur) parts.push(cur.join('\n'));
      cur = null;
      if (t === `${delim}--`) {
        closed = true;
        break;
      }
      cur = [];
      continue;
    }
    if (cur) cur.push(line);
  }
  if (!closed && cur) parts.push(cur.join('\n'));
  if (!parts.length) throw bad(`The batch request body does not contain the boundary '${boundary}'.`);
  return parts;
}

function readHeaders(lines: string[], start: number): { headers: Map<string, string>; next: number } {
  const headers = new Map<string, string>();
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      break;
    }
    const c = line.indexOf(':');
    if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  return { headers, next: i };
}

function parseHttpPart(text: string): HttpPart {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  const outer = readHeaders(lines, i);
  i = outer.next;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  const requestLine = (lines[i] ?? '').trim();
  const m = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)(\s+HTTP\/1\.[01])?$/i.exec(requestLine);
  if (!m || !m[1] || !m[2]) throw bad(`The batch part's request line '${requestLine}' is not valid.`);
  const inner = readHeaders(lines, i + 1);
  const body = lines.slice(inner.next).join('\n').replace(/\n+$/, '');
  return {
    kind: 'request',
    headers: outer.headers,
    method: m[1].toUpperCase(),
    url: m[2],
    requestHeaders: inner.headers,
    body,
    contentId: outer.headers.get('content-id') ?? inner.headers.get('content-id') ?? null,
  };
}

export function parseBatch(body: string, boundary: string): BatchItem[] {
  return splitParts(body, boundary).map((raw) => {
    const lines = raw.split('\n');
    let i = 0;
    while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
    const { headers } = readHeaders(lines, i);
    const inner = boundaryOf(headers.get('content-type') ?? null);
    if (inner) {
      const parts = splitParts(raw, inner).map(parseHttpPart);
      for (const p of parts) if (p.method === 'GET') throw bad('GET requests are not allowed inside a change set.');
      return { kind: 'changeset', parts } satisfies ChangeSet;
    }
    return parseHttpPart(raw);
  });
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

export interface PartResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
  contentId: string | null;
}

export function writePart(boundary: string, r: PartResponse): string {
  const lines = [`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (r.contentId) lines.push(`Content-ID: ${r.contentId}`);
  lines.push('', `HTTP/1.1 ${r.status} ${reason(r.status)}`);
  for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
  lines.push('');
  if (r.body !== null) lines.push(r.body);
  return `${lines.join('\r\n')}\r\n`;
}
