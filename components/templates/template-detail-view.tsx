'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useAccounts } from '@/components/catalog/use-accounts';
import { ReadonlyFlow } from '@/components/editor/readonly-flow';
import { Icon } from '@/components/ui/icon';
import { CONNECTOR_ID } from '@/lib/dynamics/connector/ids';
import { toEditorDocument } from '@/lib/editor/editor-document';
import { defaultAccounts, orderAccounts } from './template-choices';
import { TemplateTags } from './template-tags';
import type { TemplateDetail } from './templates-client';
import { UseTemplatePanel } from './use-template-panel';

export function TemplateDetailView({ template }: { template: TemplateDetail }) {
  const accountsQuery = useAccounts();
  const accounts = useMemo(
    () => orderAccounts((accountsQuery.data ?? []).filter((a) => a.application === CONNECTOR_ID)),
    [accountsQuery.data],
  );
  const [picks, setPicks] = useState<Record<string, string>>({});
  const chosen = useMemo(
    () => ({ ...defaultAccounts(Object.keys(template.accounts), accounts), ...picks }),
    [template.accounts, accounts, picks],
  );
  // The preview's steps name the chosen account rather than the template's placeholder.
  const preview = useMemo(() => {
    const doc = toEditorDocument(template.document, template.title);
    return {
      ...doc,
      nodes: doc.nodes.map((n) => {
        if (!n.params.accountId) return n;
        const { accountId, ...params } = n.params;
        const picked = chosen[accountId];
        return { ...n, params: picked ? { ...params, accountId: picked } : params };
      }),
    };
  }, [template.document, template.title, chosen]);

  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link href="/templates" className="inline-flex items-center gap-1 text-slate-500 hover:text-slate-800 dark:hover:text-slate-200">
          <Icon name="chevron" className="h-3.5 w-3.5 rotate-180" />
          Templates
        </Link>
      </nav>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-5">
          <header>
            <h1 className="text-2xl font-semibold tracking-tight">{template.title}</h1>
            <TemplateTags tags={template.tags} roomy />
          </header>
          <ReadonlyFlow document={preview} label="Preview of the template's flow" className="h-80" />
          <section aria-labelledby="about-template" className="space-y-3">
            <h2 id="about-template" className="text-base font-semibold">
              What it does
            </h2>
            <p className="text-sm leading-relaxed text-slate-700 dark:text-slate-300">{template.summary}</p>
            {template.document.description && (
              <p className="text-sm leading-relaxed text-slate-600 dark:text-slate-400">{template.document.description}</p>
            )}
            <p className="flex items-start gap-2 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
              <Icon name="clock" className="mt-0.5 h-4 w-4 shrink-0" />
              <span>{template.timeSaved}</span>
            </p>
          </section>
        </div>
        <div className="lg:sticky lg:top-6 lg:self-start">
          <UseTemplatePanel
            template={template}
            accounts={accounts}
            accountsLoading={accountsQuery.isPending}
            chosen={chosen}
            onChoose={(p, id) => setPicks((all) => ({ ...all, [p]: id }))}
          />
        </div>
      </div>
    </div>
  );
}
