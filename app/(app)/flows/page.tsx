import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { FlowsView } from '@/components/flows/flows-view';
import { ImportFlowButton } from '@/components/flows/import-flow-button';
import { Icon } from '@/components/ui/icon';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Flows' };

export default function FlowsPage() {
  return (
    <>
      <PageHeader
        title="Flows"
        description="What each flow is doing, what starts it, and how its runs went in the last day."
        actions={
          <div className="flex flex-wrap gap-2">
            <ImportFlowButton />
            <Link href="/templates" className="btn-secondary">
              <Icon name="templates" className="h-4 w-4" />
              Templates
            </Link>
            <Link href="/flows/new" className="btn-primary">
              <Icon name="plus" className="h-4 w-4" />
              New flow
            </Link>
          </div>
        }
      />
      <Suspense>
        <FlowsView />
      </Suspense>
    </>
  );
}
