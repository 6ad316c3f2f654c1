import Link from 'next/link';
import { Icon } from '@/components/ui/icon';

export interface Crumb {
  label: string;
  href?: string;
}

/** Where this page sits (Flows › a flow › Runs › a run); the last crumb is the page itself. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-3">
      <ol className="flex flex-wrap items-center gap-1 text-sm text-slate-600 dark:text-slate-400">
        {items.map((item, i) => (
          <li key={`${i}-${item.label}`} className="flex min-w-0 items-center gap-1">
            {i > 0 && <Icon name="chevron" className="h-3.5 w-3.5 shrink-0 text-slate-400" />}
            {item.href ? (
              <Link href={item.href} className="truncate hover:text-slate-900 hover:underline dark:hover:text-slate-100">
                {item.label}
              </Link>
            ) : (
              <span aria-current="page" className="truncate text-slate-800 dark:text-slate-200">
                {item.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
