import { describe, expect, it } from 'vitest';
import { GateFullError, WorkGate } from './work-gate';

const tick = () => new Promise((r) => setTimeout(r, 1));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkGate', () => {
  it('runs at most `concurrency` jobs at once and refuses beyond the queue at once', async () => {
    const gate = new WorkGate(2, 2);
    let running = 0;
    let max = 0;
    const release = deferred();
    const job = async () => {
      running++;
      max = Math.max(max, running);
      await release.promise;
      running--;
    };
    const accepted = [gate.run(job), gate.run(job), gate.run(job), gate.run(job)];
    await expect(gate.run(job)).rejects.toBeInstanceOf(GateFullError);
    await tick();
    expect(max).toBe(2);
    release.resolve();
    await Promise.all(accepted);
    expect(max).toBe(2);
    await expect(gate.run(async () => 'again')).resolves.toBe('again');
  });

  it('starts priority jobs first, and a priority job pushes out an ordinary waiter when the queue is full', async () => {
    const gate = new WorkGate(1, 2);
    const order: string[] = [];
    const release = deferred();
    const first = gate.run(() => release.promise);
    const low1 = gate.run(async () => void order.push('low1'));
    const low2 = gate.run(async () => void order.push('low2'));
    const high = gate.run(async () => void order.push('high'), 'high');
    await expect(low2).rejects.toBeInstanceOf(GateFullError);
    release.resolve();
    await Promise.all([first, low1, high]);
    expect(order).toEqual(['high', 'low1']);
  });

  it('frees the slot when a job fails', async () => {
    const gate = new WorkGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 1)).resolves.toBe(1);
  });
});
