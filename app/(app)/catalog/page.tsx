import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/empty-state';

export const metadata: Metadata = { title: 'Catalog' };

export default function CatalogPage() {
  return (
    <>
      <PageHeader title="Catalog" description="Applications you can automate, and the accounts you have connected to them." />
      <EmptyState icon="catalog" title="No accounts connected yet">
        Microsoft Dynamics 365 for Sales will appear here with its events and actions. Connecting accounts is not available in this
        version yet.
      </EmptyState>
    </>
  );
}
