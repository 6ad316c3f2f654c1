'use client';

import { useRouter } from 'next/navigation';
import { ImportFlowDialog } from './import-flow-dialog';

export function ImportFlowPage() {
  const router = useRouter();
  return <ImportFlowDialog open onOpenChange={(open) => !open && router.push('/flows')} />;
}
