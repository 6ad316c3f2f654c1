import type { Metadata } from 'next';
import { ImportFlowPage } from '@/components/flows/import-flow-page';

export const metadata: Metadata = { title: 'Import a flow' };

/** `/flows/import`: the import dialog on its own address (a link can open it; closing it goes to the flows). */
export default function ImportPage() {
  return <ImportFlowPage />;
}
