import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/empty-state';

export const metadata: Metadata = { title: 'Flows' };

export default function FlowsPage() {
  return (
    <>
      <PageHeader title="Flows" description="Your flows, their status and their latest runs." />
      <EmptyState icon="flows" title="No flows yet">
        Flows you build or start from a template will be listed here. The flow editor is not available in this version yet.
      </EmptyState>
    </>
  );
}
