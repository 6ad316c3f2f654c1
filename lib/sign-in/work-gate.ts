/** The gate is full: the caller is refused at once instead of waiting behind a flood. */
export class GateFullError extends Error {
  override readonly name = 'GateFullError';
}

interface Waiter {
  start: () => void;
  refuse: () => void;
}

/**
 * A small semaphore with a bounded queue, for CPU-heavy work (password hashing): at most
 * `concurrency` jobs run at once, at most `queueLimit` wait, and anything beyond is refused at once
 * (GateFullError), so a flood of sign-ins costs the server a fast refusal rather than everyone's
 * time. Priority jobs (callers with no recent failures) are started before the others.
 */
export class WorkGate {
  private running = 0;
  private readonly queues: { high: Waiter[]; low: Waiter[] } = { high: [], low: [] };

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {}

  get waiting(): number {
    return this.queues.high.length + this.queues.low.length;
  }

  async run<T>(job: () => Promise<T>, priority: 'high' | 'low' = 'low'): Promise<T> {
    if (this.running >= this.concurrency) {
      // A priority job may push out the newest ordinary waiter rather than be refused itself.
      if (this.waiting >= this.queueLimit) {
        const evicted = priority === 'high' ? this.queues.low.pop() : undefined;
        if (!evicted) throw new GateFullError('too many sign-ins are being checked right now');
        evicted.refuse();
      }
      await new Promise<void>((resolve, reject) => {
        this.queues[priority].push({
          start: resolve,
          refuse: () => reject(new GateFullError('too many sign-ins are being checked right now')),
        });
      });
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.queues.high.shift() ?? this.queues.low.shift();
      // The slot passes straight to the next waiter, so `running` never dips below what is running.
      if (next) next.start();
      else this.running--;
    }
  }
}
