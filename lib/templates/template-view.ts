import type { DraftDocument, FlowDocument } from '@/lib/flows/model/schema';
import type { TemplateMismatch } from './check-template-fit';
import type { Template } from './template-catalog';
import type { TemplateTags } from './template-tags';

/** A template as the gallery lists it. */
export interface TemplateSummary {
  id: string;
  title: string;
  summary: string;
  timeSaved: string;
  keywords: string[];
  /** Placeholder → what account it asks for. */
  accounts: Record<string, { label: string }>;
  tags: TemplateTags;
}

/** A template with its flow, for a drawn preview (Dynamics steps name placeholders, not accounts). */
export interface TemplateDetail extends TemplateSummary {
  document: FlowDocument | DraftDocument;
}

export const toTemplateSummary = (t: Template): TemplateSummary => ({
  id: t.id,
  title: t.title,
  summary: t.summary,
  timeSaved: t.timeSaved,
  keywords: [...t.keywords],
  accounts: t.accounts,
  tags: t.tags,
});

export const toTemplateDetail = (t: Template): TemplateDetail => ({ ...toTemplateSummary(t), document: t.portable.flow });

export interface AccountCheck {
  placeholder: string;
  accountId: string;
  /** The account signed in and answered WhoAmI just now. */
  works: boolean;
  message?: string;
}

export interface TemplateCheck {
  /** Every account works and nothing of the template is left that does not fit. */
  ok: boolean;
  accounts: AccountCheck[];
  mismatches: TemplateMismatch[];
}
