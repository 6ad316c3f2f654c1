import { TOOLBOX } from '@/lib/connectors/toolbox';

const TOOLBOX_TITLES = new Map(TOOLBOX.flatMap((app) => [...app.events, ...app.actions]).map((entry) => [entry.id, entry.title]));

const DYNAMICS_KINDS: Record<string, (table: string) => string> = {
  new: (t) => `New ${t}`,
  updated: (t) => `Updated ${t}`,
  new_or_updated: (t) => `New or updated ${t}`,
  deleted: (t) => `Deleted ${t}`,
  create: (t) => `Create ${t}`,
  retrieve: (t) => `Retrieve ${t}s`,
  update: (t) => `Update ${t}`,
  upsert: (t) => `Update or create ${t}`,
  delete: (t) => `Delete ${t}`,
};

/** The few Sales tables whose logical names do not read as words. */
const TABLE_WORDS: Record<string, string> = { salesorder: 'order' };

/**
 * A node type or trigger kind in words: the toolbox's own title ("Manual start", "If"), or
 * "New lead" / "Create account" for a Dynamics event or action. An unknown type is shown as it is,
 * so nothing is ever hidden.
 */
export function nodeTypeLabel(type: string | null | undefined): string {
  if (!type) return 'Unknown';
  const title = TOOLBOX_TITLES.get(type);
  if (title) return title;
  const match = /^dynamics\.([a-z_][a-z0-9_]*)\.([a-z_]+)$/.exec(type);
  const phrase = match && DYNAMICS_KINDS[match[2]!];
  if (match && phrase) return phrase(TABLE_WORDS[match[1]!] ?? match[1]!.replace(/_/g, ' '));
  return type;
}
