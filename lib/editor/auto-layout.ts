/**
 * Auto-layout with elkjs (layered, left to right, the way flows read): positions for every step,
 * leaving the document's structure untouched. Runs ELK's bundled build (no worker file to serve).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { EditorDocument } from './editor-document';

const NODE_WIDTH = 224;
const NODE_HEIGHT = 84;

export async function layoutPositions(doc: EditorDocument): Promise<Record<string, { x: number; y: number }>> {
  const elk = new ELK();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph = await elk.layout({
    id: 'flow',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: doc.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: doc.edges
      .filter((e) => ids.has(e.from.node) && ids.has(e.to.node))
      .map((e) => ({ id: e.id, sources: [e.from.node], targets: [e.to.node] })),
  });
  const out: Record<string, { x: number; y: number }> = {};
  for (const c of graph.children ?? []) out[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  return out;
}
