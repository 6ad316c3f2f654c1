/** Reading outside files in a child process: the same answers as in-process, the server's event loop free meanwhile, a slow file stopped. */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { checkFlow } from '../model/check-flow';
import { exportPortableFlow } from '../transfer/export-portable-flow';
import { parsePortableFlow } from '../transfer/parse-portable-flow';
import { flowDoc } from '@/test/support/flow-docs';
import { IN_PROCESS_BYTES, MAX_CHILDREN, readPortableText } from './read-portable-text';

/** A flow near the model's ceiling: 2,000 steps, half of them Dynamics creates on five accounts (about 780 KB of YAML). */
function bigFlowText(): string {
  const steps = Array.from({ length: 1_999 }, (_, i) =>
    i % 2
      ? { id: `s${i}`, type: 'toolbox.log', inputs: { message: { expr: `$steps.trigger.output.fullname & " ${i}"` } } }
      : {
          id: `s${i}`,
          type: 'dynamics.contact.create',
          accountId: `acc-${i % 5}`,
          inputs: { fields: { lastname: { expr: '$steps.trigger.output.lastname' } } },
        },
  );
  const document = checkFlow(flowDoc([{ id: 'trigger', type: 'dynamics.lead.new', accountId: 'acc-1' }, ...steps])).document!;
  return exportPortableFlow(document, new Map([['acc-1', 'Sales']]));
}

describe('readPortableText', () => {
  const big = bigFlowText();
  // The reader logs only when the child fails and the file is read in-process instead: none of these may fall back.
  let errors: MockInstance<typeof console.error>;
  beforeEach(() => {
    errors = vi.spyOn(console, 'error');
  });
  afterEach(() => {
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('reads a large file in a child with the same result as in-process, while the event loop keeps turning', async () => {
    expect(big.length).toBeGreaterThan(IN_PROCESS_BYTES * 10);
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const result = await readPortableText(big);
    clearInterval(timer);
    expect(result.ok).toBe(true);
    expect(result).toEqual(parsePortableFlow(big));
    // Parsing takes over a second in-process; here the loop went on (a gap stays far below that, checkFlow's share aside).
    expect(ticks).toBeGreaterThan(10);
    expect(longestGap, `longest event-loop gap ${longestGap.toFixed(0)} ms`).toBeLessThan(1_500);
  });

  it('answers a refusal from the child with its code', async () => {
    const notOurs = `${'# padding\n'.repeat(2_000)}a: [1, 2]\n`;
    expect(notOurs.length).toBeGreaterThan(IN_PROCESS_BYTES);
    const result = await readPortableText(notOurs);
    expect(result.ok || result.error.code).toBe('wrong_format');
    const tagged = `${'# padding\n'.repeat(2_000)}format: !!js/function "x"\n`;
    expect(await readPortableText(tagged)).toMatchObject({ ok: false, error: { code: 'not_yaml' } });
  });

  it('refuses before starting a child what the quick checks refuse', async () => {
    expect(await readPortableText('['.repeat(600_000))).toMatchObject({ ok: false, error: { code: 'too_deep' } });
    expect(await readPortableText('x'.repeat(2 * 1024 * 1024))).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });

  it(`reads several large files at once, ${MAX_CHILDREN} children at a time, each with its own answer`, async () => {
    const files = Array.from({ length: MAX_CHILDREN + 2 }, (_, i) => `${'# padding\n'.repeat(2_000)}format: other/${i}\n`);
    const results = await Promise.all(files.map((f) => readPortableText(f)));
    results.forEach((r, i) => expect(r.ok || r.error.message, `file ${i}`).toContain(`"other/${i}"`));
  });

  it('stops a file that takes longer than the time allowed: too_large', async () => {
    const result = await readPortableText(big, { timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large', message: expect.stringContaining('took too long') } });
  });
});
