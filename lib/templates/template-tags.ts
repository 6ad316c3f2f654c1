import { BUILT_IN_TABLES } from '@/lib/dynamics/connector/built-in-tables';
import { parseId } from '@/lib/dynamics/connector/ids';
import { kindOf } from '@/lib/flows/model/node-kinds';
import type { DraftDocument, FlowDocument } from '@/lib/flows/model/schema';

/** How a template's flow starts, as the gallery filters it. */
export const TRIGGER_KINDS = ['dynamics', 'scheduler', 'api', 'manual'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface TemplateObject {
  /** The table's logical name (`salesorder`). */
  logicalName: string;
  /** What people call it (`Order`). */
  displayName: string;
  displayCollectionName: string;
}

export interface TemplateTags {
  /** The tables the Dynamics steps use, trigger first, each once. */
  objects: TemplateObject[];
  trigger: TriggerKind;
  /** The trigger's node type (`dynamics.lead.updated`, `scheduler.schedule`, …). */
  triggerType: string;
}

/**
 * Names of the Sales tables templates use that are not among the connector's six built-in objects.
 * Templates are listed before any account is chosen, so the names cannot come from an account's metadata.
 */
const OTHER_SALES_TABLES: readonly TemplateObject[] = [
  { logicalName: 'opportunity', displayName: 'Opportunity', displayCollectionName: 'Opportunities' },
];

const KNOWN = new Map([...BUILT_IN_TABLES, ...OTHER_SALES_TABLES].map((t) => [t.logicalName, t]));

/** @example objectLabel('salesorder') // { logicalName: 'salesorder', displayName: 'Order', displayCollectionName: 'Orders' } */
export function objectLabel(logicalName: string): TemplateObject {
  const known = KNOWN.get(logicalName);
  if (known) return { logicalName, displayName: known.displayName, displayCollectionName: known.displayCollectionName };
  const plain = logicalName.replace(/^new_/, '').replace(/_/g, ' ');
  const displayName = plain.charAt(0).toUpperCase() + plain.slice(1);
  return { logicalName, displayName, displayCollectionName: displayName };
}

function triggerKindOf(type: string): TriggerKind {
  if (parseId(type)?.event) return 'dynamics';
  if (type === 'scheduler.schedule') return 'scheduler';
  if (type === 'api.request') return 'api';
  return 'manual';
}

/**
 * The tags of a template, derived from its flow (never stored, so they cannot drift from it): the
 * tables of its Dynamics steps and the kind of its trigger.
 *
 * @example templateTags(doc) // { objects: [{ logicalName: 'lead', … }], trigger: 'api', triggerType: 'api.request' }
 */
export function templateTags(document: Pick<FlowDocument | DraftDocument, 'nodes'>): TemplateTags {
  const trigger = document.nodes.find((n) => kindOf(n.type)?.category === 'trigger');
  const triggerType = trigger?.type ?? 'manual.trigger';
  const ordered = trigger ? [trigger, ...document.nodes.filter((n) => n !== trigger)] : document.nodes;
  const tables = [...new Set(ordered.flatMap((n) => parseId(n.type)?.table ?? []))];
  return { objects: tables.map(objectLabel), trigger: triggerKindOf(triggerType), triggerType };
}
