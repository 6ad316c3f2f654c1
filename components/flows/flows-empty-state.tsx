import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { Icon } from '@/components/ui/icon';

export function FlowsEmptyState() {
  return (
    <EmptyState icon="flows" title="No flows yet">
      <p>A flow waits for something to happen — a new lead, a schedule, a call to its web address — and then does the steps you give it.</p>
      <p className="mt-2">Start from a template made for Dynamics 365 for Sales, or build one from a blank canvas.</p>
      <div className="mt-5 flex flex-wrap justify-center gap-3">
        <Link href="/templates" className="btn-primary">
          <Icon name="templates" className="h-4 w-4" />
          Start from a template
        </Link>
        <Link href="/flows/new" className="btn-secondary">
          <Icon name="plus" className="h-4 w-4" />
          Blank flow
        </Link>
      </div>
    </EmptyState>
  );
}
