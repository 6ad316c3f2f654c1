'use client';

import { Dialog } from 'radix-ui';
import { useState } from 'react';
import type { EditorNode } from '@/lib/editor/editor-document';

/**
 * "Test flow": the trigger data the draft runs with once — the trigger's sample, or pasted JSON —
 * with a clear note when the flow writes to a Dynamics organization.
 */
export function TestDialog({
  open,
  onOpenChange,
  onRun,
  triggerNode,
  writesToDynamics,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  onRun(trigger: unknown): void;
  triggerNode?: EditorNode;
  writesToDynamics: boolean;
}) {
  const sample = triggerNode?.params.inputs.samplePayload;
  const initial = JSON.stringify(sample ?? defaultSample(triggerNode?.type), null, 2);
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        if (o) {
          setText(initial);
          setError(undefined);
        }
        onOpenChange(o);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[36rem] max-w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-2xl dark:bg-slate-900">
          <Dialog.Title className="text-lg font-semibold">Test this flow</Dialog.Title>
          <Dialog.Description className="mb-3 text-sm text-slate-500">
            The draft runs once with the trigger data below; each step lights up on the canvas as it runs.
          </Dialog.Description>
          {writesToDynamics && (
            <p className="mb-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100" role="note">
              This flow creates, changes or deletes records: the test does it for real in the chosen accounts’ organizations.
            </p>
          )}
          <label htmlFor="test-trigger" className="field-label">
            Trigger data (JSON)
          </label>
          <textarea
            id="test-trigger"
            className="field-input h-48 font-mono text-xs"
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
          />
          {error && (
            <p className="mt-1 text-sm text-red-700" role="alert">
              {error}
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            <Dialog.Close className="btn-secondary">Cancel</Dialog.Close>
            <button
              type="button"
              className="btn-primary"
              onClick={() => {
                try {
                  onRun(text.trim() ? (JSON.parse(text) as unknown) : null);
                } catch {
                  setError('This is not valid JSON.');
                }
              }}
            >
              Run the test
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** A starting point shaped like what the trigger gives a run (docs/flow-document.md, "Who starts a run"). */
function defaultSample(type: string | undefined): unknown {
  if (!type) return {};
  if (type === 'api.request') return { method: 'POST', body: {}, query: {}, headers: {} };
  if (type === 'scheduler.schedule') return { firedAt: new Date().toISOString(), scheduledFor: new Date().toISOString() };
  const m = /^dynamics\.([a-z0-9_]+)\.(new|updated|new_or_updated|deleted)$/.exec(type);
  if (m) return { event: m[2], table: m[1], id: '00000000-0000-0000-0000-000000000000', record: {} };
  return {};
}
