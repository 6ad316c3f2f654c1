/**
 * The toolbox steps: pure given their resolved inputs (Log also writes to the run's log). They
 * tell the engine how to go on through the outcome's control fields (branch, items, variable,
 * response); the engine does the going on.
 */
import { z } from 'zod';
import { CONDITION_OPERATORS } from '../model/conditions';
import { FOR_EACH_MAX_ITEMS } from '../model/node-kinds';
import { evaluateConditionGroup } from './evaluate-condition';
import { StepError, type StepContext, type StepExecutor } from './step-executor';

const resolvedGroup = z.object({
  match: z.enum(['all', 'any']),
  rules: z.array(z.object({ left: z.unknown(), operator: z.enum(CONDITION_OPERATORS), right: z.unknown().optional() })).min(1),
});

function invalid(what: string, issues: z.core.$ZodIssue[]): StepError {
  const detail = issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`)
    .join('; ');
  return new StepError('invalid_input', `${what} is not valid: ${detail}`);
}

export const runIf: StepExecutor = async (_ctx, inputs) => {
  const parsed = resolvedGroup.safeParse(inputs.condition);
  if (!parsed.success) throw invalid('The condition', parsed.error.issues);
  const result = evaluateConditionGroup(parsed.data);
  return { output: { result }, branch: result ? 'then' : 'else' };
};

/** The node's own ceiling (a literal in the document), never above the documented maximum. */
function maxItemsOf(ctx: StepContext, inputs: Record<string, unknown>): number {
  const declared = inputs.maxItems ?? ctx.node.params.inputs.maxItems;
  return typeof declared === 'number' && Number.isInteger(declared) && declared >= 1
    ? Math.min(declared, FOR_EACH_MAX_ITEMS)
    : FOR_EACH_MAX_ITEMS;
}

export const runForEach: StepExecutor = async (ctx, inputs) => {
  const items = inputs.items;
  if (!Array.isArray(items)) {
    const got = items === null ? 'null' : typeof items;
    throw new StepError('not_a_list', `For each needs a list of items; its items input is ${got === 'object' ? 'an object' : got}.`);
  }
  const ceiling = maxItemsOf(ctx, inputs);
  if (items.length > ceiling) {
    throw new StepError('too_many_items', `For each got ${items.length} items; this step allows at most ${ceiling}.`, {
      data: { count: items.length, maxItems: ceiling },
    });
  }
  return { output: { count: items.length }, items };
};

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const runSetVariable: StepExecutor = async (ctx, inputs) => {
  const name = inputs.variable ?? ctx.node.params.inputs.variable;
  if (typeof name !== 'string' || !VARIABLE_NAME.test(name)) {
    throw new StepError('invalid_input', 'Set variable needs a name of letters, digits and _ (at most 64).');
  }
  const value = inputs.value ?? null;
  return { output: { name, value }, variable: { name, value } };
};

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
/** A log line is for reading: longer messages are cut (the run record keeps outputs, not novels). */
const MAX_LOG_MESSAGE = 10_000;

export const asText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

export const runLog: StepExecutor = async (ctx, inputs) => {
  const level: LogLevel = LOG_LEVELS.find((l) => l === inputs.level) ?? 'info';
  const full = asText(inputs.message);
  const message = full.length > MAX_LOG_MESSAGE ? `${full.slice(0, MAX_LOG_MESSAGE)}… (${full.length} characters)` : full;
  ctx.log(level, message);
  return { output: { level, message } };
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by the HTTP layer, not by a flow. */
const RESERVED_RESPONSE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer']);

export const runResponse: StepExecutor = async (ctx, inputs) => {
  const rawStatus = inputs.status ?? ctx.node.params.inputs.status ?? 200;
  const status = typeof rawStatus === 'string' && /^\d{3}$/.test(rawStatus) ? Number(rawStatus) : rawStatus;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new StepError(
      'invalid_input',
      `The response status must be a whole number from 100 to 599; it is ${asText(rawStatus).slice(0, 50)}.`,
    );
  }
  const headers: Record<string, string> = {};
  const given = inputs.headers;
  if (given !== undefined && given !== null) {
    if (typeof given !== 'object' || Array.isArray(given))
      throw new StepError('invalid_input', 'The response headers must be an object of names and values.');
    for (const [name, value] of Object.entries(given)) {
      const key = name.toLowerCase();
      if (!HEADER_NAME.test(name) || RESERVED_RESPONSE_HEADERS.has(key)) continue;
      // Header values are text: numbers and booleans are written out, objects and null are left out.
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        const text = String(value);
        if (!/[\r\n\0]/.test(text)) headers[key] = text;
      }
    }
  }
  const body = inputs.body ?? null;
  return { output: { status, body }, response: { status, headers, body } };
};

const FAIL_CODE = /^[a-z0-9_]{1,64}$/;

export const runFail: StepExecutor = async (_ctx, inputs) => {
  const code = typeof inputs.code === 'string' && FAIL_CODE.test(inputs.code) ? inputs.code : 'flow_failed';
  const message = asText(inputs.message).slice(0, MAX_LOG_MESSAGE) || 'The flow stopped at a Fail step.';
  throw new StepError(code, message, { retryable: false });
};
