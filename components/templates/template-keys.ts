import type { TriggerKind } from '@/lib/templates/template-tags';

export interface GalleryQuery {
  q: string;
  object?: string;
  trigger?: TriggerKind;
}

export const templateKeys = {
  all: ['templates'] as const,
  list: (query: GalleryQuery) => ['templates', 'list', query] as const,
  detail: (id: string) => ['templates', 'detail', id] as const,
};
