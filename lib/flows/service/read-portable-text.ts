import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { portableFromData } from '../transfer/parse-portable-flow';
import type { ParsePortableResult, PortableFlowError } from '../transfer/portable-flow-schema';
import { precheckPortableText, readPortableData, type PortableDataResult } from '../transfer/read-portable-data';

/** Smaller files are read in-process: the parser spends at most tens of milliseconds on them, less than a process takes to start. */
export const IN_PROCESS_BYTES = 16 * 1024;

/** A megabyte of plain YAML takes the parser one to three seconds on a busy machine; a file it cannot read in this long is refused. */
export const READ_TIMEOUT_MS = 15_000;
const READ_MEMORY_MB = 256;

/**
 * The child: loads read-portable-data.ts through tsx (a dependency; the app always runs from the
 * repository root), reads the text it is sent and answers with the data as JSON, or the refusal.
 * Plain JavaScript in a string for the reason lib/flows/expressions/worker-source.ts gives.
 */
const CHILD_SOURCE = `
const loading = import(process.argv[1]);
process.once('message', async (text) => {
  let answer;
  try {
    // From this CommonJS script, tsx hands the module over as its default export.
    const loaded = await loading;
    const readPortableData = loaded.readPortableData || (loaded.default && loaded.default.readPortableData);
    const result = readPortableData(text);
    answer = result.ok ? { ok: true, json: JSON.stringify(result.data) } : result;
  } catch (err) {
    answer = { crashed: String((err && err.message) || err).slice(0, 300) };
  }
  process.send(answer, () => process.exit(0));
});
`;

/**
 * parsePortableFlow for text from outside: the YAML is read in a child process, so a file that is
 * slow to parse (the parser works at about a megabyte a second) never holds up the server's event
 * loop, and one that takes too long or too much memory is stopped. The data comes back as JSON
 * and is checked here as usual. If no child can be started, the file is read in-process.
 */
export async function readPortableText(text: string, options: { timeoutMs?: number } = {}): Promise<ParsePortableResult> {
  const data =
    text.length <= IN_PROCESS_BYTES
      ? readPortableData(text)
      : (precheckPortableText(text) ?? (await oneOfFewChildren(() => readInChild(text, options.timeoutMs ?? READ_TIMEOUT_MS))));
  return data.ok ? portableFromData(data.data) : data;
}

/** Readers running at once (each up to 256 MB): more imports at the same moment wait their turn rather than crowd the machine. */
export const MAX_CHILDREN = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function oneOfFewChildren<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CHILDREN) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function readInChild(text: string, timeoutMs: number): Promise<PortableDataResult> {
  return new Promise((resolve) => {
    const moduleUrl = pathToFileURL(join(process.cwd(), 'lib', 'flows', 'transfer', 'read-portable-data.ts')).href;
    let settled = false;
    const settle = (result: PortableDataResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve(result);
    };
    const child = spawn(process.execPath, [`--max-old-space-size=${READ_MEMORY_MB}`, '--import', 'tsx', '-e', CHILD_SOURCE, moduleUrl], {
      cwd: process.cwd(),
      // Nothing of the server's environment (database URLs, keys) is needed to read a file.
      env: { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH, TMPDIR: process.env.TMPDIR },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'advanced',
      windowsHide: true,
    });
    const timer = setTimeout(
      () =>
        settle(
          refused('too_large', `The file took too long to read (over ${timeoutMs / 1000} s); a flow file is plain YAML of at most 1 MiB.`),
        ),
      timeoutMs,
    );
    child.on('message', (answer: { ok: true; json: string } | { ok: false; error: PortableFlowError } | { crashed: string }) => {
      if ('crashed' in answer) {
        console.error('[import] the file reader failed:', answer.crashed);
        settle(readPortableData(text));
      } else if (answer.ok) {
        settle({ ok: true, data: JSON.parse(answer.json) as unknown });
      } else {
        settle({ ok: false, error: answer.error });
      }
    });
    child.on('error', (err) => {
      // The child could not start (or be signalled): read here rather than refuse a good file.
      console.error('[import] could not start the file reader:', err.message);
      settle(readPortableData(text));
    });
    child.on('exit', (code, signal) => {
      if (!settled) settle(refused('too_large', `The file needs more memory to read than a flow file may (${signal ?? `exit ${code}`}).`));
    });
    try {
      child.send(text);
    } catch {
      settle(readPortableData(text));
    }
  });
}

function refused(code: PortableFlowError['code'], message: string): PortableDataResult {
  return { ok: false, error: { code, message } };
}
