/**
 * Runs the supervisor's operations on one account one after another (start, stop, lease
 * renewal outcome, reconciliation), while different accounts proceed concurrently.
 */
export class AccountSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(accountId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(accountId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(accountId, tail);
    void tail.then(() => {
      if (this.tails.get(accountId) === tail) this.tails.delete(accountId);
    });
    return next;
  }
}
