import { apiFetch } from '@/lib/browser/api-fetch';
import type { TemplateMismatch } from '@/lib/templates/check-template-fit';
import type { TemplateDetail, TemplateSummary } from '@/lib/templates/template-view';
import type { AccountCheck, TemplateCheck } from '@/lib/templates/use-template';
import type { TemplateUseRequest } from './template-choices';
import type { GalleryQuery } from './template-keys';

export type { AccountCheck, TemplateCheck, TemplateDetail, TemplateMismatch, TemplateSummary };

export async function listTemplates(query: GalleryQuery): Promise<TemplateSummary[]> {
  const params = new URLSearchParams();
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.object) params.set('object', query.object);
  if (query.trigger) params.set('trigger', query.trigger);
  const qs = params.toString();
  return (await apiFetch<{ templates: TemplateSummary[] }>(`/api/templates${qs ? `?${qs}` : ''}`)).templates;
}

export async function fetchTemplate(id: string): Promise<TemplateDetail> {
  return (await apiFetch<{ template: TemplateDetail }>(`/api/templates/${encodeURIComponent(id)}`)).template;
}

export function checkTemplate(id: string, accounts: Record<string, string>): Promise<TemplateCheck> {
  return apiFetch<TemplateCheck>(`/api/templates/${encodeURIComponent(id)}/check`, { method: 'POST', body: { accounts } });
}

export function createFromTemplate(id: string, body: TemplateUseRequest): Promise<{ flowId: string }> {
  return apiFetch<{ flowId: string }>(`/api/templates/${encodeURIComponent(id)}/use`, { method: 'POST', body });
}
