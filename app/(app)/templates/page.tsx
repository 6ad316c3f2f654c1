import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/empty-state';

export const metadata: Metadata = { title: 'Templates' };

export default function TemplatesPage() {
  return (
    <>
      <PageHeader title="Templates" description="Ready-made flows for common Dynamics 365 for Sales tasks." />
      <EmptyState icon="templates" title="The template gallery is on its way">
        Templates will let you pick a scenario, choose your accounts and get a ready draft. None are available in this version yet.
      </EmptyState>
    </>
  );
}
