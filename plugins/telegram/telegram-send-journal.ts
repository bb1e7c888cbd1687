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

  /** Atomic across processes (several may send for one bot); serialized within this one. */
  async record(key: string, step: number, ids: string[]): Promise<void> {
    await this.lock.run(this.lockKey, () =>
      this.state.update<JournalEntry[]>(STATE_KEY, (entries = []) => {
        const entry = entries.find((e) => e.key === key) ?? { key, steps: {} };
        const updated = { key, steps: { ...entry.steps, [step]: ids } };
        const others = entries.filter((e) => e.key !== key);
        return [...others, updated].slice(-KEEP);
      }),
    );
  }
}
