import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '@/components/ui/page-header';
import { CatalogView } from '@/components/catalog/catalog-view';
import { sandboxEnabled } from '@/lib/dynamics/accounts/sandbox-defaults';

export const metadata: Metadata = { title: 'Catalog' };

export const dynamic = 'force-dynamic';

export default function CatalogPage() {
  return (
    <>
      <PageHeader
        title="Catalog"
        description="The applications your flows can use. Connect your Dynamics 365 accounts here, then pick them in the flow editor."
      />
      <Suspense>
        <CatalogView sandboxAvailable={sandboxEnabled()} />
      </Suspense>
    </>
  );
}
