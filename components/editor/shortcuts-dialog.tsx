'use client';

import { Dialog } from 'radix-ui';

const SHORTCUTS: [string, string][] = [
  ['/ or Ctrl+K', 'Add a step (search, then Enter: it goes after the selected step)'],
  ['Delete or Backspace', 'Remove the selected steps or connections'],
  ['Ctrl+Z', 'Undo'],
  ['Ctrl+Shift+Z or Ctrl+Y', 'Redo'],
  ['Ctrl+C / Ctrl+V', 'Copy and paste steps (also into another flow)'],
  ['Ctrl+S', 'Save now (the editor also saves on its own)'],
  ['Shift+click', 'Select several steps'],
  ['Arrow keys', 'Move the selected steps'],
  ['?', 'This list'],
];

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[28rem] max-w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-2xl dark:bg-slate-900">
          <Dialog.Title className="text-lg font-semibold">Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="mb-4 text-sm text-slate-500">
            Everything in the editor can be done from the keyboard.
          </Dialog.Description>
          <dl className="space-y-2 text-sm">
            {SHORTCUTS.map(([keys, what]) => (
              <div key={keys} className="flex justify-between gap-4">
                <dt>
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs dark:border-slate-700 dark:bg-slate-800">
                    {keys}
                  </kbd>
                </dt>
                <dd className="text-right text-slate-600 dark:text-slate-300">{what}</dd>
              </div>
            ))}
          </dl>
          <Dialog.Close className="btn-secondary mt-6 w-full">Close</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
