import { Icon } from '@/components/ui/icon';
import type { TemplateSummary } from '@/lib/templates/template-view';
import { triggerLabel } from './trigger-labels';

/** What a template uses: its trigger, then its objects, as chips (the gallery's cards and the template page). */
export function TemplateTags({ tags, roomy = false }: { tags: TemplateSummary['tags']; roomy?: boolean }) {
  const pad = roomy ? 'px-2.5' : 'px-2';
  return (
    <ul className="mt-3 flex flex-wrap gap-1.5" aria-label="Uses">
      <li
        className={`inline-flex items-center gap-1 rounded-full bg-brand-50 ${pad} py-0.5 text-xs font-medium text-brand-700 dark:bg-slate-800 dark:text-brand-100`}
      >
        <Icon name="bolt" className="h-3 w-3" />
        {triggerLabel(tags)}
      </li>
      {tags.objects.map((o) => (
        <li
          key={o.logicalName}
          className={`rounded-full bg-slate-100 ${pad} py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-300`}
        >
          {o.displayName}
        </li>
      ))}
    </ul>
  );
}
