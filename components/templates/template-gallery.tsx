'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useRef, useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import { TRIGGER_KINDS, type TemplateObject, type TriggerKind } from '@/lib/templates/template-tags';
import type { FlowOutline } from './flow-outline';
import { TemplateCard } from './template-card';
import { TemplateFilters } from './template-filters';
import { templateKeys, type GalleryQuery } from './template-keys';
import { listTemplates } from './templates-client';

const SEARCH_DELAY_MS = 250;

function queryOf(params: URLSearchParams): GalleryQuery {
  const trigger = params.get('trigger');
  const object = params.get('object');
  return {
    q: params.get('q') ?? '',
    ...(object && /^[a-z_][a-z0-9_]*$/.test(object) ? { object } : {}),
    ...(trigger && (TRIGGER_KINDS as readonly string[]).includes(trigger) ? { trigger: trigger as TriggerKind } : {}),
  };
}

export function TemplateGallery({ outlines, objects }: { outlines: Record<string, FlowOutline>; objects: TemplateObject[] }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const query = queryOf(new URLSearchParams(params.toString()));
  const [text, setText] = useState(query.q);
  const [seenQ, setSeenQ] = useState(query.q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Back and forward change the address: the box follows it.
  if (query.q !== seenQ) {
    setSeenQ(query.q);
    setText(query.q);
  }

  const go = (next: GalleryQuery) => {
    const p = new URLSearchParams();
    if (next.q.trim()) p.set('q', next.q.trim());
    if (next.object) p.set('object', next.object);
    if (next.trigger) p.set('trigger', next.trigger);
    const qs = p.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  const type = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => go({ ...query, q: value }), SEARCH_DELAY_MS);
  };
  const clear = () => {
    clearTimeout(timer.current);
    setText('');
    go({ q: '' });
  };

  const results = useQuery({
    queryKey: templateKeys.list(query),
    queryFn: () => listTemplates(query),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const filtered = !!(query.q.trim() || query.object || query.trigger);
  const count = results.data?.length ?? 0;

  return (
    <div>
      <div className="mb-5 space-y-4">
        <div className="relative max-w-xl">
          <Icon name="search" className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-slate-400" />
          <label htmlFor="template-search" className="sr-only">
            Search templates
          </label>
          <input
            id="template-search"
            type="search"
            value={text}
            onChange={(e) => type(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                clearTimeout(timer.current);
                go({ ...query, q: text });
              }
            }}
            placeholder="Search by object, task or product: invoice, clean up leads…"
            className="field-input pl-9"
            autoComplete="off"
          />
          {results.isFetching && <Spinner className="absolute right-3 top-2.5 h-4 w-4 text-slate-400" />}
        </div>
        <TemplateFilters
          objects={objects}
          object={query.object}
          trigger={query.trigger}
          onObject={(object) => go({ ...query, q: text, object })}
          onTrigger={(trigger) => go({ ...query, q: text, trigger })}
        />
      </div>

      <div className="mb-3 flex flex-wrap items-center gap-x-2 text-sm text-slate-500 dark:text-slate-400">
        <p role="status" data-testid="template-count">
          {results.isPending ? 'Loading templates…' : results.isError ? '' : `${count} ${count === 1 ? 'template' : 'templates'}`}
        </p>
        {results.isSuccess && filtered && count > 0 && (
          <>
            <span aria-hidden="true">·</span>
            <button type="button" className="text-brand-700 underline dark:text-brand-100" onClick={clear}>
              Clear search and filters
            </button>
          </>
        )}
      </div>

      {results.isError ? (
        <FormError message={results.error.message} />
      ) : results.isPending ? (
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-hidden="true">
          {Array.from({ length: 6 }, (_, i) => (
            <li key={i} className="card h-72 animate-pulse bg-slate-100 dark:bg-slate-900" />
          ))}
        </ul>
      ) : count === 0 ? (
        <div className="card flex flex-col items-center px-6 py-14 text-center" data-testid="templates-empty">
          <span className="flex h-12 w-12 items-center justify-center rounded-full bg-brand-50 text-brand-600 dark:bg-slate-800 dark:text-brand-500">
            <Icon name="search" className="h-6 w-6" />
          </span>
          <h2 className="mt-4 text-base font-semibold">No template matches</h2>
          <p className="mt-2 max-w-md text-sm text-slate-500 dark:text-slate-400">
            {query.q.trim() ? `Nothing found for “${query.q.trim()}”` : 'Nothing found'}
            {query.object || query.trigger ? ' with these filters' : ''}. Try another word, such as an object (lead, order, invoice) or a
            task.
          </p>
          <button type="button" className="btn-secondary mt-4" onClick={clear}>
            Clear search and filters
          </button>
        </div>
      ) : (
        <ul
          className={`grid gap-4 sm:grid-cols-2 xl:grid-cols-3 ${results.isPlaceholderData ? 'opacity-70' : ''}`}
          aria-label="Templates"
          aria-busy={results.isFetching}
        >
          {results.data.map((t) => (
            <li key={t.id} className="flex">
              <TemplateCard template={t} outline={outlines[t.id]} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
