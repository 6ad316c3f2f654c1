import { z } from 'zod';
import { ACTION_KINDS, EVENT_KINDS, parseId } from '../../dynamics/connector/ids';
import { columnConditionGroupSchema, conditionGroupSchema } from './conditions';
import { inputSchema } from './input';

/**
 * The node kinds a flow document may hold, declaratively: which `type` ids each matches, its
 * category, its output handles and the schema of its `params.inputs`. Dynamics types are patterns
 * (`dynamics.<table>.<kind>`, parsed by the connector's own id helper); the toolbox types are fixed
 * ids. Checks that need a table's metadata (does the column exist?) come later, through validate's
 * extra checks.
 */
export type NodeCategory = 'trigger' | 'action' | 'toolbox';

export interface NodeKind {
  /** A name for the kind: the type id itself, or a pattern such as `dynamics.<table>.create`. */
  key: string;
  category: NodeCategory;
  title: string;
  matches(type: string): boolean;
  /** Output handles besides `error` (which every non-trigger node has when its on-error is "route"). */
  handles: readonly string[];
  /** The type versions this model knows; a node's `typeVersion` must be one of them. */
  typeVersions: readonly number[];
  /** Dynamics steps name the account they run as; nothing else does. */
  needsAccount: boolean;
  /** Takes a retry policy and an on-error setting: not triggers (nothing runs before them) and not Fail (failing is its job). */
  handlesErrors: boolean;
  inputs: z.ZodType;
}

/** For each's documented item ceiling: a longer list fails the step (the toolbox descriptor says 5,000). */
export const FOR_EACH_MAX_ITEMS = 5_000;
export const FOR_EACH_MAX_CONCURRENCY = 20;
export const MIN_POLL_SECONDS = 60;
export const MIN_SCHEDULE_SECONDS = 60;

const inputMap = z.record(z.string().min(1).max(200), inputSchema);
const columnName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column logical name');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Five fields (minute hour day-of-month month day-of-week) of `0-9 , - * /` and names; the engine parses them. */
const CRON_PATTERN = /^\s*([0-9A-Za-z*,/-]+\s+){4}[0-9A-Za-z*,/-]+\s*$/;

const dynamicsEvent = (deleted: boolean) =>
  z
    .strictObject({
      intervalSeconds: z.number().int().min(MIN_POLL_SECONDS).max(86_400).default(300),
      columns: z.array(columnName).max(200).optional(),
      conditions: columnConditionGroupSchema.optional(),
      // Changes this flow itself wrote do not start it again (no self-loops): lib/flows/triggers/flow-writes.ts.
      ignoreOwnWrites: z.boolean().default(true),
    })
    .refine((v) => !deleted || (v.conditions === undefined && v.columns === undefined), {
      message: 'a Deleted event has no conditions or columns: a deleted record has only its id',
      path: ['conditions'],
    });

const dynamicsKind = (kind: string, category: NodeCategory, inputs: z.ZodType, handles: readonly string[]): NodeKind => ({
  key: `dynamics.<table>.${kind}`,
  category,
  title: `Dynamics ${kind}`,
  matches: (type) => {
    const parsed = parseId(type);
    return parsed !== null && (parsed.action ?? parsed.event) === kind;
  },
  handles,
  typeVersions: [1],
  needsAccount: true,
  handlesErrors: category !== 'trigger',
  inputs,
});

const fixed = (key: string, category: NodeCategory, title: string, handles: readonly string[], inputs: z.ZodType): NodeKind => ({
  key,
  category,
  title,
  matches: (type) => type === key,
  handles,
  typeVersions: [1],
  needsAccount: false,
  handlesErrors: category !== 'trigger' && key !== 'toolbox.fail',
  inputs,
});

export const NODE_KINDS: readonly NodeKind[] = [
  // Triggers
  ...EVENT_KINDS.map((event) => dynamicsKind(event, 'trigger', dynamicsEvent(event === 'deleted'), ['next'])),
  fixed(
    'scheduler.schedule',
    'trigger',
    'Scheduler',
    ['next'],
    z.discriminatedUnion('mode', [
      z.strictObject({
        mode: z.literal('interval'),
        everySeconds: z
          .number()
          .int()
          .min(MIN_SCHEDULE_SECONDS)
          .max(31 * 86_400),
      }),
      z.strictObject({
        mode: z.literal('cron'),
        cron: z.string().regex(CRON_PATTERN, 'five cron fields: minute hour day-of-month month day-of-week'),
        timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Paris or UTC'),
      }),
    ]),
  ),
  fixed(
    'api.request',
    'trigger',
    'API request',
    ['next'],
    z.strictObject({ method: z.enum(HTTP_METHODS).default('POST'), bodySchema: z.json().optional() }),
  ),
  fixed('manual.trigger', 'trigger', 'Manual start', ['next'], z.strictObject({ samplePayload: z.json().optional() })),
  // Actions: the connector's (their inputs are checked against the table's metadata later) and HTTP request.
  ...ACTION_KINDS.map((action) => dynamicsKind(action, 'action', inputMap, ['next'])),
  fixed(
    'http.request',
    'action',
    'HTTP request',
    ['next'],
    z.strictObject({
      method: z.enum(HTTP_METHODS),
      url: inputSchema,
      headers: inputMap.optional(),
      query: inputMap.optional(),
      body: inputSchema.optional(),
      timeoutSeconds: z.number().int().min(1).max(300).default(30),
    }),
  ),
  // Toolbox
  fixed('toolbox.if', 'toolbox', 'If', ['then', 'else'], z.strictObject({ condition: conditionGroupSchema })),
  fixed(
    'toolbox.for_each',
    'toolbox',
    'For each',
    ['each', 'after'],
    z.strictObject({
      items: inputSchema,
      concurrency: z.number().int().min(1).max(FOR_EACH_MAX_CONCURRENCY).default(1),
      maxItems: z.number().int().min(1).max(FOR_EACH_MAX_ITEMS).default(FOR_EACH_MAX_ITEMS),
    }),
  ),
  fixed(
    'toolbox.set_variable',
    'toolbox',
    'Set variable',
    ['next'],
    z.strictObject({ variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a name of letters, digits and _'), value: inputSchema }),
  ),
  fixed(
    'toolbox.log',
    'toolbox',
    'Log',
    ['next'],
    z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info'), message: inputSchema }),
  ),
  fixed(
    'api.response',
    'toolbox',
    'Response',
    ['next'],
    z.strictObject({ status: z.number().int().min(100).max(599).default(200), headers: inputMap.optional(), body: inputSchema.optional() }),
  ),
  fixed(
    'toolbox.fail',
    'toolbox',
    'Fail',
    [],
    z.strictObject({
      message: inputSchema,
      code: z
        .string()
        .regex(/^[a-z0-9_]{1,64}$/)
        .optional(),
    }),
  ),
];

const kindCache = new Map<string, NodeKind | null>();

/**
 * The kind of a node type; remembered per type (the editor asks for every step on every change).
 * @example kindOf('dynamics.account.create')?.category // 'action'
 */
export function kindOf(type: string): NodeKind | undefined {
  const hit = kindCache.get(type);
  if (hit !== undefined) return hit ?? undefined;
  const kind = NODE_KINDS.find((k) => k.matches(type));
  if (kindCache.size > 5_000) kindCache.clear();
  kindCache.set(type, kind ?? null);
  return kind;
}

/** The handles a node of this kind offers, given its on-error setting. */
export function handlesOf(kind: NodeKind, onError: OnError | undefined): readonly string[] {
  return onError === 'route' && kind.handlesErrors ? [...kind.handles, 'error'] : kind.handles;
}

export const ON_ERROR = ['fail', 'continue', 'route'] as const;
export type OnError = (typeof ON_ERROR)[number];
