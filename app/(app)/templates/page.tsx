import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { flowOutline, type FlowOutline } from '@/components/templates/flow-outline';
import { TemplateGallery } from '@/components/templates/template-gallery';
import { galleryObjects } from '@/components/templates/trigger-labels';
import { templateCatalog } from '@/lib/templates/template-catalog';

export const metadata: Metadata = { title: 'Templates' };

export const dynamic = 'force-dynamic';

/**
 * The gallery. Search goes through GET /api/templates; the cards' small drawings are outlines
 * computed here once (a static SVG each rather than a React Flow canvas per card).
 */
export default function TemplatesPage() {
  const { templates } = templateCatalog();
  const outlines: Record<string, FlowOutline> = Object.fromEntries(templates.map((t) => [t.id, flowOutline(t.portable.flow)]));
  return (
    <>
      <PageHeader
        title="Templates"
        description="Quick starts for Microsoft Dynamics 365 for Sales. Pick one, choose your account — it is checked against your organization's own fields — and get a ready draft."
      />
      <Suspense>
        <TemplateGallery outlines={outlines} objects={galleryObjects(templates)} />
      </Suspense>
    </>
  );
}
