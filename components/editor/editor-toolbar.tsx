'use client';

import Link from 'next/link';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import type { SaveState } from '@/lib/editor/editor-store';

const SAVE_TEXT: Record<SaveState['status'], string> = {
  saved: 'All changes saved',
  dirty: 'Unsaved changes',
  saving: 'Saving…',
  failed: 'Not saved',
  conflict: 'Changed elsewhere',
};

/** The editor's top bar: the flow's name, the save state, history, layout, test and start/stop. */
export function EditorToolbar({
  flowId,
  name,
  onName,
  save,
  status,
  canUndo,
  canRedo,
  onUndo,
  onRedo,
  onLayout,
  onTest,
  onStart,
  onStop,
  onHelp,
  onVersions,
  onAddStep,
  startDisabledReason,
  busy,
}: {
  flowId: string;
  name: string;
  onName(name: string): void;
  save: SaveState;
  status: 'draft' | 'active' | 'stopped';
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  onTest(): void;
  onStart(): void;
  onStop(): void;
  onHelp(): void;
  onVersions(): void;
  onAddStep(): void;
  startDisabledReason?: string;
  busy?: string;
}) {
  const tone =
    save.status === 'failed' || save.status === 'conflict'
      ? 'text-red-700 dark:text-red-300'
      : save.status === 'saved'
        ? 'text-emerald-700 dark:text-emerald-300'
        : 'text-slate-500';
  return (
    <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
      <Link href="/flows" className="rounded p-1.5 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Back to flows">
        <Icon name="chevron" className="h-4 w-4 rotate-180" />
      </Link>
      <label htmlFor="flow-name" className="sr-only">
        Flow name
      </label>
      <input
        id="flow-name"
        value={name}
        onChange={(e) => onName(e.target.value)}
        placeholder="Untitled flow"
        className="w-80 max-w-[40vw] rounded-md border border-transparent bg-transparent px-2 py-1 text-base font-semibold hover:border-slate-200 focus:border-brand-500 focus:outline-none dark:hover:border-slate-700"
      />
      <span
        className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ${
          status === 'active'
            ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200'
            : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300'
        }`}
        data-testid="flow-status"
      >
        {status === 'active' ? 'Started' : status === 'stopped' ? 'Stopped' : 'Draft'}
      </span>
      <span
        role="status"
        aria-live="polite"
        className={`flex items-center gap-1 text-xs ${tone}`}
        data-testid="save-status"
        data-state={save.status}
        title={save.message}
      >
        {save.status === 'saving' && <Spinner />}
        {save.status === 'saved' && <Icon name="check" className="h-3.5 w-3.5" />}
        {SAVE_TEXT[save.status]}
        {save.message && (save.status === 'failed' || save.status === 'conflict') ? `: ${save.message}` : ''}
      </span>
      <div className="ml-auto flex flex-wrap items-center gap-1.5">
        {busy && (
          <span className="flex items-center gap-1 text-xs text-slate-500">
            <Spinner /> {busy}
          </span>
        )}
        <button type="button" className="btn-secondary px-2.5 py-1.5" onClick={onAddStep} title="Add a step (/)">
          <Icon name="plus" className="h-4 w-4" />
          Add step
        </button>
        <button
          type="button"
          className="btn-secondary px-2.5 py-1.5"
          onClick={onUndo}
          disabled={!canUndo}
          title="Undo (Ctrl+Z)"
          aria-label="Undo"
        >
          ↶
        </button>
        <button
          type="button"
          className="btn-secondary px-2.5 py-1.5"
          onClick={onRedo}
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
        >
          ↷
        </button>
        <button type="button" className="btn-secondary px-2.5 py-1.5" onClick={onLayout} title="Tidy the canvas">
          Tidy up
        </button>
        <button
          type="button"
          className="btn-secondary px-2.5 py-1.5"
          onClick={onHelp}
          title="Keyboard shortcuts (?)"
          aria-label="Keyboard shortcuts"
        >
          ?
        </button>
        <button type="button" className="btn-secondary px-2.5 py-1.5" onClick={onVersions}>
          Versions
        </button>
        <Link href={`/flows/${flowId}/runs`} className="btn-secondary px-2.5 py-1.5">
          Runs
        </Link>
        <button
          type="button"
          className="btn-secondary px-2.5 py-1.5"
          onClick={onTest}
          disabled={!!startDisabledReason}
          title={startDisabledReason ?? 'Run the draft once'}
        >
          <Icon name="play" className="h-4 w-4" />
          Test flow
        </button>
        {status === 'active' ? (
          <>
            <button
              type="button"
              className="btn-primary px-3 py-1.5"
              onClick={onStart}
              disabled={!!startDisabledReason}
              title={startDisabledReason ?? 'Publish the draft'}
            >
              Publish changes
            </button>
            <button type="button" className="btn-danger px-3 py-1.5" onClick={onStop}>
              Stop
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn-primary px-3 py-1.5"
            onClick={onStart}
            disabled={!!startDisabledReason}
            title={startDisabledReason ?? 'Start the flow'}
          >
            Start
          </button>
        )}
      </div>
    </header>
  );
}
