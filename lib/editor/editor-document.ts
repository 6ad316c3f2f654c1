/**
 * The document the editor edits: the flow document's JSON shape (docs/flow-document.md), but
 * unchecked — while a person builds a flow, a step's inputs are often incomplete, which the strict
 * schema would refuse. The editor keeps this shape, saves it as is (the server stores drafts with
 * their problems) and shows what `checkFlow` and the server's validation say about it.
 */
export interface EditorNode {
  id: string;
  type: string;
  typeVersion: number;
  name?: string;
  position: { x: number; y: number };
  params: {
    accountId?: string;
    inputs: Record<string, unknown>;
    retry?: { maxAttempts: number; delaySeconds?: number; backoff?: 'fixed' | 'exponential' };
    onError?: 'fail' | 'continue' | 'route';
  };
}

export interface EditorEdge {
  id: string;
  from: { node: string; handle: string };
  to: { node: string };
}

export interface EditorDocument {
  schemaVersion: 2;
  name: string;
  description: string;
  nodes: EditorNode[];
  edges: EditorEdge[];
}

export const emptyDocument = (name = ''): EditorDocument => ({ schemaVersion: 2, name, description: '', nodes: [], edges: [] });

/** Reads what the server returned as a flow's document into the editor's shape (lenient: it came from our own save). */
export function toEditorDocument(raw: unknown, fallbackName = ''): EditorDocument {
  const doc = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<EditorDocument>;
  return {
    schemaVersion: 2,
    name: typeof doc.name === 'string' ? doc.name : fallbackName,
    description: typeof doc.description === 'string' ? doc.description : '',
    nodes: Array.isArray(doc.nodes) ? doc.nodes.map((n) => ({ ...n, params: { ...n.params, inputs: n.params?.inputs ?? {} } })) : [],
    edges: Array.isArray(doc.edges) ? doc.edges : [],
  };
}
