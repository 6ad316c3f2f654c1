import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface DiscoveredRoute {
  /** URL path with dynamic segments as `[name]`, e.g. `/api/tokens/[id]`. */
  pattern: string;
  methods: string[];
  public: boolean;
  /** Files that do not go through apiRoute (next-auth, the JSON 404 catch-all). */
  framework: boolean;
  file: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name === 'route.ts') out.push(path);
  }
}

/** Every API route in app/api, read from the source so that new routes join the security tests by themselves. */
export function discoverApiRoutes(root = process.cwd()): DiscoveredRoute[] {
  const files: string[] = [];
  walk(join(root, 'app', 'api'), files);
  return files.map((file) => {
    const source = readFileSync(file, 'utf8');
    const segments = relative(join(root, 'app'), file)
      .split(sep)
      .slice(0, -1)
      .filter((s) => !/^\(.*\)$/.test(s));
    const methods = METHODS.filter((m) => new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b|as\\s+${m}\\b`).test(source));
    return {
      pattern: `/${segments.join('/')}`,
      methods,
      public: /auth:\s*false/.test(source),
      framework: !source.includes('apiRoute('),
      file: relative(root, file),
    };
  });
}

/** Fills dynamic segments: `[id]` with the given value, catch-alls with a two-part path. */
export function fillPattern(pattern: string, id: string): string {
  return pattern.replace(/\[\.\.\.[^\]]+\]/g, 'x/y').replace(/\[[^\]]+\]/g, id);
}
