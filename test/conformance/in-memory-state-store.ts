import type { AccountStateStore } from '../../src/core/adapter';

/** An AccountStateStore in a Map; values go through JSON like a database column would. */
export class InMemoryStateStore implements AccountStateStore {
  private readonly values = new Map<string, string>();

  async get<T>(key: string): Promise<T | undefined> {
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** Atomic: read, change and write happen without an await in between. */
  async update<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
  ): Promise<T | undefined> {
    const raw = this.values.get(key);
    const next = change(raw === undefined ? undefined : (JSON.parse(raw) as T));
    if (next === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(next));
    return next === undefined ? undefined : (JSON.parse(JSON.stringify(next)) as T);
  }

  /** A copy of everything stored, to compare before and after an operation. */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries(
      [...this.values].map(([key, raw]) => [key, JSON.parse(raw) as unknown]),
    );
  }
}
