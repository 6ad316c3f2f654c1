import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FlowRunsView } from '@/components/runs/flow-runs-view';

export const metadata: Metadata = { title: 'Runs' };

export default async function FlowRunsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <FlowRunsView flowId={id} />
    </Suspense>
  );
}
