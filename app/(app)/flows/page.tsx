import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { FlowsView } from '@/components/flows/flows-view';
import { Icon } from '@/components/ui/icon';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Flows' };

export default function FlowsPage() {
  return (
    <>
      <PageHeader
        title="Flows"
        description="Everything you have built: whether it is running, what starts it, and what happened when it ran."
        actions={
          <Link href="/flows/new" className="btn-primary">
            <Icon name="plus" className="h-4 w-4" />
            New flow
          </Link>
        }
      />
      <Suspense>
        <FlowsView />
      </Suspense>
    </>
  );
}
