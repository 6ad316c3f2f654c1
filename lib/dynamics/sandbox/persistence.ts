/**
 * File persistence for the running app: the org's data and identity grants are written as one
 * JSON snapshot under `${DATA_DIR:-./data}/sandbox/`, debounced and atomically (write to a temp file,
 * then rename), so the sandbox organization survives restarts.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SerializedGrants } from './identity/grants';
import type { SerializedOrg } from './store';

export interface Snapshot {
  org: SerializedOrg;
  grants: SerializedGrants;
}

export class SnapshotFile {
  private timer: NodeJS.Timeout | null = null;
  readonly file: string;

  constructor(
    readonly dir: string,
    private readonly produce: () => Snapshot,
    private readonly debounceMs = 250,
  ) {
    this.file = join(dir, 'org.json');
  }

  load(): Snapshot | null {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Snapshot;
      if (parsed?.org?.format !== 1) return null;
      return parsed;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      // A corrupt snapshot is kept aside rather than silently overwritten.
      try {
        renameSync(this.file, `${this.file}.corrupt-${Date.now()}`);
      } catch {
        // ignore
      }
      return null;
    }
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeNow();
    }, this.debounceMs);
    this.timer.unref?.();
  }

  writeNow(): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.produce()), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.writeNow();
    }
  }
}
