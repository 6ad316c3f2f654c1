import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { TemplateDetailView } from '@/components/templates/template-detail-view';
import { templateCatalog, TEMPLATE_ID_PATTERN } from '@/lib/templates/template-catalog';
import { toTemplateDetail } from '@/lib/templates/template-view';

export const dynamic = 'force-dynamic';

const templateOf = (id: string) => (TEMPLATE_ID_PATTERN.test(id) ? templateCatalog().byId.get(id) : undefined);

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const template = templateOf((await params).id);
  return { title: template ? `${template.title} — Templates` : 'Template not found' };
}

/** `/templates/{id}`: a template's drawn flow and what it does, and the steps to use it. */
export default async function TemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const template = templateOf((await params).id);
  if (!template) notFound();
  return <TemplateDetailView template={toTemplateDetail(template)} />;
}
