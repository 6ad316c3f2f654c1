import Link from 'next/link';
import { Icon } from '@/components/ui/icon';
import type { TemplateSummary } from '@/lib/templates/template-view';
import type { FlowOutline } from './flow-outline';
import { MiniFlow } from './mini-flow';
import { TemplateTags } from './template-tags';

export function TemplateCard({ template, outline }: { template: TemplateSummary; outline?: FlowOutline }) {
  return (
    <article
      data-testid="template-card"
      data-template-id={template.id}
      className="card group relative flex w-full flex-col overflow-hidden transition-shadow focus-within:ring-2 focus-within:ring-brand-500 hover:shadow-md"
    >
      <div className="flex h-28 items-center justify-center border-b border-slate-100 bg-slate-50 px-4 py-3 dark:border-slate-800 dark:bg-slate-950">
        {outline && <MiniFlow outline={outline} className="h-full w-full" />}
      </div>
      <div className="flex flex-1 flex-col p-4">
        <h2 className="text-[0.95rem] font-semibold leading-snug">
          <Link
            href={`/templates/${template.id}`}
            className="outline-none after:absolute after:inset-0 after:content-[''] group-hover:text-brand-700 dark:group-hover:text-brand-100"
          >
            {template.title}
          </Link>
        </h2>
        <p className="mt-1.5 line-clamp-3 text-sm text-slate-600 dark:text-slate-400">{template.summary}</p>
        <TemplateTags tags={template.tags} />
        <p className="mt-auto flex items-start gap-1.5 pt-3 text-xs text-emerald-800 dark:text-emerald-300">
          <Icon name="clock" className="mt-px h-3.5 w-3.5 shrink-0" />
          <span>{template.timeSaved}</span>
        </p>
      </div>
    </article>
  );
}
