export function findPgBin(): string | undefined;
export function freePort(): Promise<number>;
export interface PgCluster {
  url: string;
  adminUrl: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}
export function startPgCluster(opts?: { database?: string; log?: (line: string) => void }): Promise<PgCluster>;
