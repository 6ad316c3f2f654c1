'use client';

import Link from 'next/link';
import { DropdownMenu } from 'radix-ui';
import { Icon, type IconName } from '@/components/ui/icon';
import type { FlowListItem } from '@/lib/flows/service/flow-list-item';
import { exportFlow } from './transfer-client';

export interface FlowMenuHandlers {
  onStart: (flow: FlowListItem) => void;
  onStop: (flow: FlowListItem) => void;
  onDuplicate: (flow: FlowListItem) => void;
  onDelete: (flow: FlowListItem) => void;
}

const ITEM =
  'flex w-full cursor-default select-none items-center gap-2.5 rounded-md px-2.5 py-2 text-sm text-slate-800 outline-none data-[highlighted]:bg-slate-100 data-[disabled]:opacity-50 dark:text-slate-100 dark:data-[highlighted]:bg-slate-800';

function ItemIcon({ name }: { name: IconName }) {
  return <Icon name={name} className="h-4 w-4 text-slate-500 dark:text-slate-400" />;
}

/** The ⋮ menu of one flow: Radix gives it the menu keyboard (arrows, Home/End, typeahead, Escape) and focus return. */
export function FlowMenu({ flow, busy, handlers }: { flow: FlowListItem; busy: boolean; handlers: FlowMenuHandlers }) {
  const running = flow.status === 'active';
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        data-testid="flow-menu"
        className="relative z-10 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 data-[state=open]:bg-slate-100 dark:hover:bg-slate-800 dark:hover:text-slate-100 dark:data-[state=open]:bg-slate-800"
      >
        <Icon name="more" />
        <span className="sr-only">Options for {flow.name}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          aria-label={`Options for ${flow.name}`}
          className="z-30 min-w-48 rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <DropdownMenu.Item asChild className={ITEM}>
            <Link href={`/flows/${flow.id}`}>
              <ItemIcon name="open" />
              Open
            </Link>
          </DropdownMenu.Item>
          {running ? (
            <DropdownMenu.Item className={ITEM} disabled={busy} onSelect={() => handlers.onStop(flow)}>
              <ItemIcon name="stop" />
              Stop
            </DropdownMenu.Item>
          ) : (
            <DropdownMenu.Item className={ITEM} disabled={busy} onSelect={() => handlers.onStart(flow)}>
              <ItemIcon name="play" />
              Start
            </DropdownMenu.Item>
          )}
          <DropdownMenu.Item className={ITEM} disabled={busy} onSelect={() => handlers.onDuplicate(flow)}>
            <ItemIcon name="copy" />
            Duplicate
          </DropdownMenu.Item>
          <DropdownMenu.Item className={ITEM} onSelect={() => exportFlow(flow.id)}>
            <ItemIcon name="download" />
            Export
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
          <DropdownMenu.Item
            className={`${ITEM} text-red-700 data-[highlighted]:bg-red-50 dark:text-red-300 dark:data-[highlighted]:bg-red-950`}
            disabled={busy}
            onSelect={() => handlers.onDelete(flow)}
          >
            <Icon name="trash" className="h-4 w-4" />
            Delete…
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
