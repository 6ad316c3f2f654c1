import { invalid } from '@/lib/errors/domain-error';
import type { DraftDocument, FlowDocument } from '@/lib/flows/model/schema';

export interface LeaveOut {
  nodeId: string;
  field: string;
}

export interface SetValue extends LeaveOut {
  value: unknown;
}

export interface TemplateFixes {
  leaveOut?: readonly LeaveOut[];
  values?: readonly SetValue[];
}

/** Only a step's own inputs may be changed: never its type, account, retry policy or the graph. */
const FIELD = /^params\.inputs\.[^.]+(\.[^.]+)*$/;

function segmentsOf(nodeId: string, field: string): string[] {
  if (!FIELD.test(field))
    throw invalid('invalid_fix', `"${field.slice(0, 100)}" of ${nodeId} is not an input of the step; only params.inputs.… can be changed.`);
  const segments = field.split('.').slice(2);
  if (segments.some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype'))
    throw invalid('invalid_fix', 'That field name is not allowed.');
  return segments;
}

/** The container holding the last segment, walking only existing plain objects and arrays. */
function parentOf(inputs: unknown, segments: string[], nodeId: string, field: string): Record<string, unknown> | unknown[] {
  let at: unknown = inputs;
  for (const s of segments.slice(0, -1)) {
    if (Array.isArray(at) && /^\d+$/.test(s)) at = at[Number(s)];
    else if (at && typeof at === 'object' && !Array.isArray(at) && Object.hasOwn(at, s)) at = (at as Record<string, unknown>)[s];
    else throw invalid('invalid_fix', `${nodeId} has no input ${field}.`);
  }
  if (!at || typeof at !== 'object') throw invalid('invalid_fix', `${nodeId} has no input ${field}.`);
  return at as Record<string, unknown> | unknown[];
}

/**
 * The template's document with the chosen fixes made: each `leaveOut` drops that input (a list
 * item is removed, the rest move up), each `values` entry sets one. Fixes are applied deepest list
 * index first, so two items of one list can both be left out. A fix naming a step or input the
 * document does not have is refused (`invalid_fix`), never ignored. Pure: the document is copied.
 */
export function applyTemplateFixes<D extends FlowDocument | DraftDocument>(document: D, fixes: TemplateFixes): D {
  const copy = structuredClone(document);
  const nodeOf = (nodeId: string) => {
    const node = copy.nodes.find((n) => n.id === nodeId);
    if (!node) throw invalid('invalid_fix', `The template has no step ${nodeId.slice(0, 64)}.`);
    return node;
  };
  for (const v of fixes.values ?? []) {
    const segments = segmentsOf(v.nodeId, v.field);
    const node = nodeOf(v.nodeId);
    const parent = parentOf(node.params.inputs, segments, v.nodeId, v.field);
    (parent as Record<string, unknown>)[segments[segments.length - 1]!] = structuredClone(v.value);
  }
  const drops = (fixes.leaveOut ?? [])
    .map((l) => ({ ...l, segments: segmentsOf(l.nodeId, l.field) }))
    .sort((a, b) => b.field.localeCompare(a.field, 'en', { numeric: true }));
  for (const drop of drops) {
    const node = nodeOf(drop.nodeId);
    const last = drop.segments[drop.segments.length - 1]!;
    const parent = parentOf(node.params.inputs, drop.segments, drop.nodeId, drop.field);
    if (Array.isArray(parent)) {
      if (!/^\d+$/.test(last) || Number(last) >= parent.length) throw invalid('invalid_fix', `${drop.nodeId} has no input ${drop.field}.`);
      parent.splice(Number(last), 1);
    } else {
      if (!Object.hasOwn(parent, last)) throw invalid('invalid_fix', `${drop.nodeId} has no input ${drop.field}.`);
      delete parent[last];
    }
  }
  return copy;
}
