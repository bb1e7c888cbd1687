/**
 * Remembers which steps of a send (text parts, media) already went through, per idempotency key,
 * so that a retry after a partial failure sends only what is missing and returns the same ids.
 */
import type { AccountStateStore } from '../../src/core/adapter';
import type { KeyedLock } from './account-lock';

const STATE_KEY = 'sendJournal';
const KEEP = 200;

interface JournalEntry {
  key: string;
  steps: Record<number, string[]>;
}

export class SendJournal {
  constructor(
    private readonly state: AccountStateStore,
    private readonly lock: KeyedLock,
    private readonly lockKey: string,
  ) {}

  async done(key: string): Promise<Record<number, string[]>> {
    const entries = (await this.state.get<JournalEntry[]>(STATE_KEY)) ?? [];
    return entries.find((entry) => entry.key === key)?.steps ?? {};
  }

  record(key: string, step: number, ids: string[]): Promise<void> {
    return this.lock.run(this.lockKey, async () => {
      const entries = (await this.state.get<JournalEntry[]>(STATE_KEY)) ?? [];
      const entry = entries.find((e) => e.key === key) ?? { key, steps: {} };
      entry.steps = { ...entry.steps, [step]: ids };
      const others = entries.filter((e) => e.key !== key);
      await this.state.set(STATE_KEY, [...others, entry].slice(-KEEP));
    });
  }
}
