import { isAbsolute, relative, resolve } from 'node:path';

/** Environment variables as read here; `process.env` fits, and so does a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The folder for local state (SQLite database, generated encryption key): `DATA_DIR` or `./data`. */
export function resolveDataDir(env: Env = process.env): string {
  const configured = env.DATA_DIR?.trim();
  return resolve(configured ? configured : './data');
}

/** A path as people expect to read it in a log line: relative when under the working folder. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `./${rel}` : path;
}
