/**
 * The built-in toolbox beside Dynamics: triggers and actions that need no account.
 * Descriptors only (id, title, description, kind); lib/flows/steps runs them. Every fixed node kind of
 * lib/flows/model/node-kinds.ts has one here (toolbox.test.ts checks it).
 */
export interface ToolboxEntry {
  id: string;
  kind: 'trigger' | 'action';
  title: string;
  description: string;
}

export interface ToolboxApplication {
  id: string;
  title: string;
  description: string;
  events: ToolboxEntry[];
  actions: ToolboxEntry[];
}

export const TOOLBOX: readonly ToolboxApplication[] = [
  {
    id: 'scheduler',
    title: 'Scheduler',
    description: 'Start a flow at set times or intervals.',
    events: [
      {
        id: 'scheduler.schedule',
        kind: 'trigger',
        title: 'Scheduled',
        description: 'Starts the flow on a schedule (every N minutes, daily at a time, or a cron expression).',
      },
    ],
    actions: [],
  },
  {
    id: 'http',
    title: 'HTTP request',
    description: 'Call any HTTP API from a flow.',
    events: [],
    actions: [
      {
        id: 'http.request',
        kind: 'action',
        title: 'Send HTTP request',
        description: 'Sends a request to a URL and returns the status, headers and body.',
      },
    ],
  },
  {
    id: 'api',
    title: 'API',
    description: 'Start a flow with an HTTP request to this application, and answer it.',
    events: [
      {
        id: 'api.request',
        kind: 'trigger',
        title: 'HTTP request received',
        description: "Starts the flow when a request arrives at the flow's own API address.",
      },
      {
        id: 'manual.trigger',
        kind: 'trigger',
        title: 'Manual start',
        description: 'Starts the flow when someone clicks Run or tests it in the editor.',
      },
    ],
    actions: [
      {
        id: 'api.response',
        kind: 'action',
        title: 'Response',
        description: 'Answers the request that started the flow with a status and a body.',
      },
    ],
  },
  {
    id: 'toolbox',
    title: 'Toolbox',
    description: 'Logic and data steps.',
    events: [],
    actions: [
      { id: 'toolbox.if', kind: 'action', title: 'If', description: 'Runs one branch or another depending on a condition.' },
      {
        id: 'toolbox.for_each',
        kind: 'action',
        title: 'For each',
        description: 'Runs steps once for every item of a list (at most 5,000 items).',
      },
      { id: 'toolbox.set_variable', kind: 'action', title: 'Set variable', description: 'Stores a value for later steps.' },
      { id: 'toolbox.log', kind: 'action', title: 'Log', description: 'Writes a message to the run history.' },
      {
        id: 'toolbox.fail',
        kind: 'action',
        title: 'Fail',
        description: 'Stops the run as failed, with a message and an optional error code.',
      },
    ],
  },
];
