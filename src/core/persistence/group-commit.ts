interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for writes that many concurrent callers make at once: the items submitted while a
 * write is in flight go together in the next one, so that each caller still waits for its own
 * item to be written, yet N concurrent callers cost one round of statements instead of N (on
 * SQLite each statement is a trip to libuv's threadpool and a commit of its own). At low load a
 * batch is one item, written on the next turn of the event loop.
 *
 * A batch that fails is written again item by item: an item the database refuses fails alone,
 * the others succeed.
 */
export class GroupCommit<T> {
  private waiting: Pending<T>[] = [];
  private active = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 64,
  ) {}

  /** Resolves once the item is written; rejects with the error of its own write. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.active) {
        this.active = true;
        // The next turn, so that the items of this one (completions of one I/O poll) join.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((pending) => pending.item));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        else await this.oneByOne(batch);
      }
    }
    this.active = false;
  }

  private async oneByOne(batch: Pending<T>[]): Promise<void> {
    for (const pending of batch) {
      try {
        await this.write([pending.item]);
        pending.resolve();
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}
