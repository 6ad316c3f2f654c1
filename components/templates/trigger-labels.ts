import { parseId } from '@/lib/dynamics/connector/ids';
import type { TemplateObject, TemplateTags, TriggerKind } from '@/lib/templates/template-tags';

export const TRIGGER_KIND_LABELS: Record<TriggerKind, string> = {
  dynamics: 'Dynamics event',
  scheduler: 'Schedule',
  api: 'API call',
  manual: 'Manual start',
};

const EVENT_WORDS = { new: 'New', updated: 'Updated', new_or_updated: 'New or updated', deleted: 'Deleted' } as const;

/** What starts a template's flow, in words: "New lead", "Updated opportunity", "Schedule". */
export function triggerLabel(tags: Pick<TemplateTags, 'trigger' | 'triggerType' | 'objects'>): string {
  const parsed = parseId(tags.triggerType);
  if (parsed?.event) {
    const object = tags.objects.find((o) => o.logicalName === parsed.table);
    return `${EVENT_WORDS[parsed.event]} ${(object?.displayName ?? parsed.table).toLowerCase()}`;
  }
  return TRIGGER_KIND_LABELS[tags.trigger];
}

/** Every object the templates use, each once, by name. */
export function galleryObjects(all: readonly { tags: { objects: readonly TemplateObject[] } }[]): TemplateObject[] {
  const seen = new Map<string, TemplateObject>();
  for (const t of all) for (const o of t.tags.objects) if (!seen.has(o.logicalName)) seen.set(o.logicalName, o);
  return [...seen.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
