import type { Flow, FlowStatus } from '@/lib/db/repositories/flows';
import { kindOf } from '../model/node-kinds';
import type { Problem } from '../model/problem';
import type { FlowDocument } from '../model/schema';

/** A flow as the API shows it to its owner: never the invoke key or its hash, only the prefix. */
export interface FlowView {
  id: string;
  name: string;
  description: string;
  status: FlowStatus;
  currentVersion: number;
  publishedVersion: number | null;
  /** True when the draft (current version) is newer than what live runs use. */
  hasUnpublishedChanges: boolean;
  startedAt: string | null;
  createdAt: string;
  updatedAt: string;
  trigger: { type: string } | null;
  /** The Dynamics accounts the flow's steps run as. */
  accounts: string[];
  invokeKeyPrefix?: string;
  document: unknown;
  problems: Problem[];
}

export type FlowSummary = Omit<FlowView, 'document' | 'problems' | 'trigger' | 'accounts'>;

/** The trigger node of a parsed document (the first node whose kind is a trigger). */
export function triggerOf(document: FlowDocument | undefined) {
  return document?.nodes.find((n) => kindOf(n.type)?.category === 'trigger');
}

export function toFlowSummary(flow: Flow): FlowSummary {
  return {
    id: flow.id,
    name: flow.name,
    description: flow.description,
    status: flow.status,
    currentVersion: flow.currentVersion,
    publishedVersion: flow.publishedVersion,
    hasUnpublishedChanges: flow.publishedVersion !== flow.currentVersion,
    startedAt: flow.startedAt,
    createdAt: flow.createdAt,
    updatedAt: flow.updatedAt,
    ...(flow.invokeKeyPrefix ? { invokeKeyPrefix: flow.invokeKeyPrefix } : {}),
  };
}

export function toFlowView(flow: Flow, raw: unknown, parsed: FlowDocument | undefined, problems: Problem[]): FlowView {
  const trigger = triggerOf(parsed);
  const accounts = [...new Set((parsed?.nodes ?? []).flatMap((n) => (n.params.accountId ? [n.params.accountId] : [])))];
  return { ...toFlowSummary(flow), trigger: trigger ? { type: trigger.type } : null, accounts, document: parsed ?? raw, problems };
}
