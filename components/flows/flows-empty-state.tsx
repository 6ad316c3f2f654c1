import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { Icon } from '@/components/ui/icon';

export function FlowsEmptyState() {
  return (
    <EmptyState icon="flows" title="No flows yet">
      <p>A flow waits for something to happen — a new lead, a schedule, a call to its web address — and then does the steps you give it.</p>
      <div className="mt-5 flex flex-wrap justify-center gap-3">
        <Link href="/flows/new" className="btn-primary">
          <Icon name="plus" className="h-4 w-4" />
          New flow
        </Link>
        <Link href="/templates" className="btn-secondary">
          <Icon name="templates" className="h-4 w-4" />
          Start from a template
        </Link>
      </div>
    </EmptyState>
  );
}
