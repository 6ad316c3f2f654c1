/** One thing wrong with a flow document, in plain words, pointing at the node and field when there is one. */
export interface Problem {
  nodeId?: string;
  /** A dotted path inside the node (`params.inputs.url`) or the document (`edges.2.to.node`). */
  field?: string;
  code: string;
  message: string;
}
