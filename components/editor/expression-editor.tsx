'use client';

import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  pickedCompletion,
  type Completion,
  type CompletionResult,
  type CompletionContext as CMCompletionContext,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, syntaxTree } from '@codemirror/language';
import { linter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { Annotation, Compartment, EditorState, RangeSetBuilder, Transaction } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, keymap, placeholder, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { checkExpression, formatPreview, type PreviewResult, type PreviewSample } from '@/lib/editor/expression-check';
import { completeExpression, type CompletionOption, type ExpressionReference } from '@/lib/editor/expression-completion';
import { JSONATA_FUNCTIONS, type JsonataFunctionInfo } from '@/lib/editor/jsonata-functions';
import { jsonataLanguage } from '@/lib/editor/jsonata-language';
import { createPreviewRunner, PREVIEW_CANCELLED, type PreviewRunner } from '@/lib/editor/preview-runner';
import { minimalChange } from '@/lib/editor/text-change';

/**
 * A JSONata expression field for the inspector (issue 10), on CodeMirror 6.
 *
 * Props:
 * - `value` — the expression text. Controlled: a different value from outside replaces only what
 *   changed, so the cursor stays where it was; an equal value leaves the editor alone.
 * - `onChange(value)` — every edit, with the whole text (not called for outside values).
 * - `references` — the data a step can use, offered in completion after `$` and after a dot
 *   (`$steps.` → every step's fields): `{ path: '$steps.abc123.output.lastname', label: 'New lead
 *   › Last name', type?: 'text' }`. Default: none.
 * - `functions` — the functions offered in completion; default JSONata's built-ins
 *   (lib/editor/jsonata-functions.ts) with short signatures.
 * - `sample` — the data the live preview runs on, shaped like the runtime's scope (`trigger`,
 *   `steps`, `vars`, `item`, `index`, `run`; lib/flows/expressions/types.ts). Compared by content,
 *   so a new object with the same data does not re-run the preview. Without it: no preview.
 * - `label` — the field's name in words; the editor's aria-label (no visible label is drawn:
 *   the inspector draws its own).
 * - `id` — put on the editable element, so a `<label htmlFor>` and tests can find it.
 *
 * Syntax errors are underlined (with the message on hover) and written under the editor in a
 * polite live region, so a screen reader hears them once the person pauses; the preview line
 * shows the value on the sample as compact JSON, computed in a Web Worker (preview-runner.ts).
 */
export interface ExpressionEditorProps {
  value: string;
  onChange(value: string): void;
  references?: readonly ExpressionReference[];
  functions?: readonly JsonataFunctionInfo[];
  sample?: PreviewSample;
  label: string;
  id?: string;
}

export type { ExpressionReference } from '@/lib/editor/expression-completion';
export type { JsonataFunctionInfo } from '@/lib/editor/jsonata-functions';
export type { PreviewSample } from '@/lib/editor/expression-check';

/** How long the text must stay still before its errors are spelled out and its preview runs. */
const SETTLE_MS = 300;

/** Marks the transaction that applies an outside value, so it is not echoed to onChange. */
const fromOutside = Annotation.define<boolean>();

// ---- Highlighting: the StreamLanguage's tokens (their node names are the tag names) coloured
// with Tailwind classes, so light and dark follow the app like every other field.
const TOKEN_CLASSES: Record<string, string> = {
  string: 'text-emerald-700 dark:text-emerald-300',
  regexp: 'text-emerald-700 dark:text-emerald-300',
  number: 'text-amber-700 dark:text-amber-300',
  bool: 'text-amber-700 dark:text-amber-300',
  null: 'text-amber-700 dark:text-amber-300',
  'variableName.special': 'font-medium text-brand-700 dark:text-brand-100',
  'variableName.function': 'text-violet-700 dark:text-violet-300',
  variableName: 'text-sky-700 dark:text-sky-300',
  keyword: 'text-fuchsia-700 dark:text-fuchsia-300',
  operatorKeyword: 'text-fuchsia-700 dark:text-fuchsia-300',
  operator: 'text-slate-500 dark:text-slate-400',
  comment: 'italic text-slate-500 dark:text-slate-400',
  invalid: 'text-red-600 dark:text-red-400',
};
const TOKEN_MARKS = new Map(Object.entries(TOKEN_CLASSES).map(([name, cls]) => [name, Decoration.mark({ class: cls })]));

function tokenDecorations(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  const tree = syntaxTree(view.state);
  let last = 0;
  for (const { from, to } of view.visibleRanges) {
    tree.iterate({
      from,
      to,
      enter: (node) => {
        const mark = TOKEN_MARKS.get(node.name);
        if (mark && node.from >= last && node.to > node.from) {
          builder.add(node.from, node.to, mark);
          last = node.to;
        }
      },
    });
  }
  return builder.finish();
}

const jsonataHighlighting = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = tokenDecorations(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.viewportChanged || syntaxTree(u.startState) !== syntaxTree(u.state))
        this.decorations = tokenDecorations(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

const editorTheme = EditorView.theme({
  '&': { fontSize: '0.875rem' },
  '&.cm-focused': { outline: 'none' },
  '.cm-content': {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    padding: '0.5rem 0',
    minHeight: '1.25rem',
  },
  '.cm-line': { padding: '0 0.75rem' },
  '.cm-placeholder': { color: 'rgb(148 163 184)' },
  '.cm-tooltip': { fontSize: '0.8125rem' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'inherit', maxHeight: '16rem' },
  '.cm-completionDetail': { marginLeft: '0.75rem' },
});

// ---- Completion --------------------------------------------------------------------------------

function toCompletion(option: CompletionOption): Completion {
  const completion: Completion = { label: option.label, detail: option.detail, info: option.info, type: option.kind, boost: option.boost };
  const { insert, cursor } = option;
  if (insert !== undefined && cursor !== undefined) {
    // A function goes in as a call with the cursor between the parentheses — unless a `(`
    // already follows, then only the name.
    completion.apply = (view, picked, from, to) => {
      const hasParen = view.state.sliceDoc(to, to + 1) === '(';
      const text = hasParen ? option.label : insert;
      view.dispatch({
        changes: { from, to, insert: text },
        selection: { anchor: from + (hasParen ? text.length + 1 : cursor) },
        annotations: pickedCompletion.of(picked),
        userEvent: 'input.complete',
      });
    };
  }
  return completion;
}

const TOP_LEVEL_WORD = /^\$[\p{L}\p{N}_]*$/u;

// ---- The preview worker, shared by every expression editor on the page -------------------------

let sharedRunner: PreviewRunner | null = null;
let runnerUsers = 0;
function acquireRunner(): PreviewRunner {
  runnerUsers++;
  sharedRunner ??= createPreviewRunner();
  return sharedRunner;
}
function releaseRunner() {
  runnerUsers--;
  if (runnerUsers === 0) {
    sharedRunner?.dispose();
    sharedRunner = null;
  }
}

/** The sample as text, to compare by content; a sample that is not JSON data is not previewed. */
function sampleKeyOf(sample: PreviewSample | undefined): string | null {
  if (sample === undefined) return null;
  try {
    return JSON.stringify(sample) ?? null;
  } catch {
    return null;
  }
}

const prefersDark = () => typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches === true;

export function ExpressionEditor({
  value,
  onChange,
  references = [],
  functions = JSONATA_FUNCTIONS,
  sample,
  label,
  id,
}: ExpressionEditorProps) {
  const baseId = useId();
  const contentId = id ?? `${baseId}-input`;
  const previewId = `${baseId}-preview`;
  const statusId = `${baseId}-status`;

  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  // The editor is built once; what its callbacks need is read through refs, kept current.
  const latest = useRef({ value, onChange, references, functions, sample });
  useEffect(() => {
    latest.current = { value, onChange, references, functions, sample };
  });
  const attributes = useRef(new Compartment());
  const dark = useRef(new Compartment());

  // The text once it stopped changing: errors are spelled out and the preview runs on it.
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  const check = useMemo(() => (settled.trim() === '' ? null : checkExpression(settled)), [settled]);
  const syntaxError = check && !check.ok ? check.message : null;

  const sampleKey = useMemo(() => sampleKeyOf(sample), [sample]);
  const [preview, setPreview] = useState<{ text: string; sampleKey: string; result: PreviewResult } | null>(null);

  // ---- The editor ----
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          jsonataLanguage,
          jsonataHighlighting,
          history(),
          closeBrackets(),
          bracketMatching(),
          EditorView.lineWrapping,
          placeholder('JSONata, e.g. $trigger.record.emailaddress1'),
          editorTheme,
          dark.current.of(EditorView.darkTheme.of(prefersDark())),
          attributes.current.of([]),
          autocompletion({
            icons: false,
            override: [
              (ctx: CMCompletionContext): CompletionResult | null => {
                const { references: refs, functions: fns } = latest.current;
                const found = completeExpression(ctx.state.doc.toString(), ctx.pos, refs, fns);
                if (!found) return null;
                const typed = ctx.state.sliceDoc(found.from, ctx.pos);
                const dot = typed.lastIndexOf('.');
                const parent = typed.slice(0, dot + 1);
                return {
                  from: found.from,
                  options: found.options.map(toCompletion),
                  // Without a dot the list stays valid while typing the name; a new dot asks again
                  // (the list narrows to what is under it).
                  validFor: dot < 0 ? TOP_LEVEL_WORD : (text) => text.startsWith(parent) && !text.slice(parent.length).includes('.'),
                };
              },
            ],
          }),
          linter(
            (v): Diagnostic[] => {
              const text = v.state.doc.toString();
              if (text.trim() === '') return [];
              const result = checkExpression(text);
              if (result.ok) return [];
              const from = result.from ?? 0;
              const to = result.to ?? Math.min(text.length, from + 1);
              return [{ from, to, severity: 'error', message: result.message, source: result.code }];
            },
            { delay: SETTLE_MS },
          ),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged || u.transactions.some((tr) => tr.annotation(fromOutside))) return;
            latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;

    // Dark mode follows the system, as the app's Tailwind `dark:` classes do.
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    const onScheme = () => view.dispatch({ effects: dark.current.reconfigure(EditorView.darkTheme.of(prefersDark())) });
    media?.addEventListener('change', onScheme);
    return () => {
      media?.removeEventListener('change', onScheme);
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  // ---- Accessibility attributes on the editable element ----
  useEffect(() => {
    viewRef.current?.dispatch({
      effects: attributes.current.reconfigure(
        EditorView.contentAttributes.of({
          id: contentId,
          'aria-label': label,
          'aria-multiline': 'true',
          'aria-describedby': `${previewId} ${statusId}`,
          ...(syntaxError ? { 'aria-invalid': 'true' } : {}),
        }),
      ),
    });
  }, [contentId, label, previewId, statusId, syntaxError]);

  // ---- An outside value: only what differs is replaced, the cursor maps through it ----
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const change = minimalChange(view.state.doc.toString(), value);
    if (!change) return;
    view.dispatch({ changes: change, annotations: [fromOutside.of(true), Transaction.addToHistory.of(false)] });
  }, [value]);

  // ---- The preview, in the worker shared by the page's editors (held while mounted) ----
  const runner = useRef<PreviewRunner | null>(null);
  useEffect(() => {
    runner.current = acquireRunner();
    return () => {
      runner.current = null;
      releaseRunner();
    };
  }, []);
  useEffect(() => {
    if (sampleKey === null || !check?.ok || !runner.current) return;
    let live = true;
    void runner.current.run(baseId, settled, latest.current.sample ?? {}).then((result) => {
      if (live && !(result.ok === false && result.code === PREVIEW_CANCELLED)) setPreview({ text: settled, sampleKey, result });
    });
    return () => {
      live = false;
    };
  }, [baseId, settled, sampleKey, check]);

  const current = preview && preview.text === settled && preview.sampleKey === sampleKey ? preview.result : null;
  const evaluationError = !syntaxError && current && !current.ok ? current.message : null;
  const errorText = syntaxError ?? evaluationError;

  let previewText: string;
  if (settled.trim() === '') previewText = 'Preview: write an expression to see its value.';
  else if (sampleKey === null) previewText = 'Preview: no sample data yet.';
  else if (syntaxError) previewText = 'Preview: fix the expression to see its value.';
  else if (!current) previewText = 'Preview: …';
  else if (current.ok) previewText = `Preview: ${formatPreview(current.value)}`;
  else previewText = 'Preview: no value (see the error below).';

  return (
    <div className="space-y-1">
      <div
        ref={hostRef}
        className={`block w-full rounded-md border bg-white text-slate-900 focus-within:outline-none focus-within:ring-2 dark:bg-slate-900 dark:text-slate-100 ${
          syntaxError
            ? 'border-red-400 focus-within:border-red-500 focus-within:ring-red-500/30 dark:border-red-700'
            : 'border-slate-300 focus-within:border-brand-500 focus-within:ring-brand-500/30 dark:border-slate-700'
        }`}
      />
      <p id={previewId} className="truncate font-mono text-xs text-slate-500 dark:text-slate-400" title={previewText}>
        {previewText}
      </p>
      <p id={statusId} aria-live="polite" className="text-xs text-red-700 dark:text-red-300">
        {errorText ?? ''}
      </p>
    </div>
  );
}
