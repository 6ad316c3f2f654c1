/**
 * The names people gave the nodes of a flow document, by node id, so a run's steps read "Give up"
 * rather than "sFail0000001". The document is read as stored (any schema version), defensively: a
 * node without a name, or a document of another shape, just gives fewer names.
 */
export function nodeNamesOf(document: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const nodes = typeof document === 'object' && document !== null ? (document as { nodes?: unknown }).nodes : undefined;
  if (!Array.isArray(nodes)) return names;
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const { id, name } = node as { id?: unknown; name?: unknown };
    if (typeof id === 'string' && typeof name === 'string' && name.trim() !== '') names.set(id, name.trim());
  }
  return names;
}
