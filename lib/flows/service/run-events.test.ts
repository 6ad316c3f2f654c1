/** runEventStream: the Server-Sent Events of a run as its rows change, on a real database of each kind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunStep, updateRunStep } from '@/lib/db/repositories/run-steps';
import { updateRun } from '@/lib/db/repositories/runs';
import { DomainError } from '@/lib/errors/domain-error';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { createFlow } from './create-flow';
import { deleteFlow } from './delete-flow';
import type { FlowServiceContext } from './flow-context';
import { runEventStream } from './run-events';
import { testFlow } from './test-flow';

const document = {
  schemaVersion: 2,
  name: 'events',
  nodes: [{ id: 'tManual00001', type: 'manual.trigger', typeVersion: 1, position: { x: 0, y: 0 }, params: { inputs: {} } }],
  edges: [],
};

/** Reads an SSE stream frame by frame (`event`/`data` pairs and `:` comments). */
function frames(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let closed = false;
  return {
    /** The next frame, or 'closed' when the stream ended; fails after 5 s. */
    async next(): Promise<{ event?: string; data?: Record<string, unknown>; comment?: string } | 'closed'> {
      const deadline = Date.now() + 5_000;
      while (!buffer.includes('\n\n')) {
        if (closed) return 'closed';
        if (Date.now() > deadline) throw new Error('no frame within 5 s');
        const { done, value } = await reader.read();
        if (done) closed = true;
        else buffer += decoder.decode(value, { stream: true });
      }
      const end = buffer.indexOf('\n\n');
      const text = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (text.startsWith(':')) return { comment: text.slice(1).trim() };
      const event = /^event: (.*)$/m.exec(text)?.[1];
      const data = /^data: (.*)$/m.exec(text)?.[1];
      return { event, data: data === undefined ? undefined : (JSON.parse(data) as Record<string, unknown>) };
    },
    cancel: () => reader.cancel(),
  };
}

describe.each(DATABASE_KINDS)('runEventStream on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  beforeAll(async () => {
    db = await openTestDb(kind);
    owner = { db, ownerId: (await createTestUser(db, 'owner')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
  });
  afterAll(() => db.close());

  const newRun = async () => {
    const flow = await createFlow(owner, { name: 'events', document });
    return { flowId: flow.id, runId: (await testFlow(owner, flow.id, { trigger: { n: 1 } })).runId };
  };

  it('sends the full run first, then each step and run change as it happens, and ends after the terminal run', async () => {
    const { runId } = await newRun();
    const stream = frames(await runEventStream(owner, runId, { signal: new AbortController().signal, pollMs: 20 }));
    const first = await stream.next();
    expect(first).toMatchObject({ event: 'run', data: { id: runId, status: 'queued', mode: 'test', trigger: { n: 1 }, steps: [] } });

    await updateRun(db, owner.ownerId, runId, { status: 'running', startedAt: new Date().toISOString() });
    const running = await stream.next();
    expect(running).toMatchObject({ event: 'run', data: { id: runId, status: 'running' } });
    expect(running !== 'closed' && running.data).not.toHaveProperty('steps');

    const step = await createRunStep(db, owner.ownerId, {
      runId,
      stepId: 'tManual00001',
      nodeId: 'tManual00001',
      nodeType: 'manual.trigger',
    });
    expect(await stream.next()).toMatchObject({ event: 'step', data: { stepId: 'tManual00001', status: 'running', attempt: 1 } });
    await updateRunStep(db, owner.ownerId, step!.id, { status: 'succeeded', output: { n: 1 }, finishedAt: new Date().toISOString() });
    expect(await stream.next()).toMatchObject({ event: 'step', data: { stepId: 'tManual00001', status: 'succeeded', output: { n: 1 } } });

    await updateRun(db, owner.ownerId, runId, { status: 'succeeded', finishedAt: new Date().toISOString() });
    expect(await stream.next()).toMatchObject({ event: 'run', data: { id: runId, status: 'succeeded' } });
    expect(await stream.next()).toBe('closed');
  });

  it('a run already finished gets its one full frame and the stream ends', async () => {
    const { runId } = await newRun();
    await updateRun(db, owner.ownerId, runId, { status: 'failed', error: { message: 'boom' }, finishedAt: new Date().toISOString() });
    const stream = frames(await runEventStream(owner, runId, { signal: new AbortController().signal, pollMs: 20 }));
    expect(await stream.next()).toMatchObject({ event: 'run', data: { status: 'failed', error: { message: 'boom' } } });
    expect(await stream.next()).toBe('closed');
  });

  it('keeps an idle stream alive with comments, and ends when the client goes away or the run is deleted', async () => {
    const { flowId, runId } = await newRun();
    const client = new AbortController();
    const idle = frames(await runEventStream(owner, runId, { signal: client.signal, pollMs: 10, keepAliveMs: 30 }));
    expect((await idle.next()) as object).toHaveProperty('event', 'run');
    expect(await idle.next()).toEqual({ comment: 'keep-alive' });
    client.abort();
    let next = await idle.next();
    while (next !== 'closed' && next.comment) next = await idle.next();
    expect(next).toBe('closed');

    const orphan = frames(await runEventStream(owner, runId, { signal: new AbortController().signal, pollMs: 10 }));
    expect((await orphan.next()) as object).toHaveProperty('event', 'run');
    await deleteFlow(owner, flowId);
    expect(await orphan.next()).toBe('closed');
  });

  it("refuses another owner's run with not_found before any stream exists", async () => {
    const { runId } = await newRun();
    const err = await runEventStream(stranger, runId, { signal: new AbortController().signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe('not_found');
  });
});
