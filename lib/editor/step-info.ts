/**
 * What the canvas and the inspector call a step: its title from the catalog (the palette's items),
 * else from its type (`dynamics.new_project.create` → "Create new_project"), its application and
 * category. Pure.
 */
import { parseId } from '@/lib/dynamics/connector/ids';
import { kindOf } from '@/lib/flows/model/node-kinds';
import type { PaletteItem } from './palette';

export interface StepInfo {
  title: string;
  application: string;
  category: 'trigger' | 'action' | 'toolbox' | 'unknown';
  needsAccount: boolean;
}

const KIND_WORDS: Record<string, string> = {
  create: 'Create',
  retrieve: 'Retrieve',
  update: 'Update',
  upsert: 'Update or create',
  delete: 'Delete',
  new: 'New',
  updated: 'Updated',
  new_or_updated: 'New or updated',
  deleted: 'Deleted',
};

export function stepInfo(type: string, catalog: ReadonlyMap<string, PaletteItem>): StepInfo {
  const kind = kindOf(type);
  const category = kind?.category ?? 'unknown';
  const item = catalog.get(type);
  const parsed = parseId(type);
  if (item) return { title: item.title, application: item.application, category, needsAccount: item.needsAccount };
  if (parsed) {
    const what = parsed.action ?? parsed.event ?? '';
    return { title: `${KIND_WORDS[what] ?? what} ${parsed.table}`, application: 'dynamics', category, needsAccount: true };
  }
  return { title: kind?.title ?? type, application: type.split('.')[0] ?? 'toolbox', category, needsAccount: false };
}

/** Handle labels a person reads on the canvas. */
export const HANDLE_LABELS: Record<string, string> = {
  next: '',
  then: 'then',
  else: 'else',
  each: 'each item',
  after: 'after',
  error: 'on error',
};
