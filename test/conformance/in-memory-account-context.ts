/**
 * A real AccountContext that lives in memory: emit() records events (as the JSON the gateway
 * would store), with a state store, a recording logger and helpers to wait for events.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AccountContext, Credentials, InboundEvent } from '../../src/core/adapter';
import { InMemoryStateStore } from './in-memory-state-store';
import { RecordingLogger } from './recording-logger';

export interface InMemoryAccountContextInit {
  accountId: string;
  credentials: Credentials;
  webhookUrl: string;
  settings?: Record<string, unknown>;
  state?: InMemoryStateStore;
  logger?: RecordingLogger;
}

export class InMemoryAccountContext implements AccountContext {
  readonly accountId: string;
  readonly credentials: Credentials;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly webhookUrl: string;
  readonly state: InMemoryStateStore;
  readonly logger: RecordingLogger;
  /** Every emitted event, redeliveries included (the gateway would drop those by eventId). */
  readonly emitted: InboundEvent[] = [];
  readonly warnings: string[] = [];
  /** Emitted events that did not survive a JSON round trip unchanged. */
  readonly notPlainJson: { event: InboundEvent; problem: string }[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(init: InMemoryAccountContextInit) {
    this.accountId = init.accountId;
    this.credentials = { ...init.credentials };
    this.settings = { ...(init.settings ?? {}) };
    this.webhookUrl = init.webhookUrl;
    this.state = init.state ?? new InMemoryStateStore();
    this.logger = init.logger ?? new RecordingLogger();
  }

  async emit(event: InboundEvent): Promise<void> {
    let stored: InboundEvent;
    try {
      stored = JSON.parse(JSON.stringify(event)) as InboundEvent;
      if (!isDeepStrictEqual(stored, withoutUndefined(event))) {
        this.notPlainJson.push({ event, problem: 'changes through JSON (Date, Buffer, class?)' });
      }
    } catch (error) {
      this.notPlainJson.push({ event, problem: String(error) });
      stored = event;
    }
    this.emitted.push(stored);
    for (const listener of [...this.listeners]) listener();
  }

  reportWarning(message: string): void {
    this.warnings.push(message);
  }

  /** Resolves with the first event at index >= `since` that matches, or rejects after a timeout. */
  waitForEvent(
    predicate: (event: InboundEvent) => boolean = () => true,
    options: { since?: number; timeoutMs?: number } = {},
  ): Promise<InboundEvent> {
    const since = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? 3000;
    const find = () => this.emitted.slice(since).find(predicate);
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const event = find();
        if (!event) return;
        cleanup();
        resolve(event);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `account ${this.accountId}: no matching event within ${timeoutMs} ms ` +
              `(${this.emitted.length - since} other event(s) since)`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  /** Waits `ms` and returns the events emitted meanwhile (to check that nothing happens). */
  async eventsDuring(ms: number): Promise<InboundEvent[]> {
    const since = this.emitted.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.emitted.slice(since);
  }
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key, withoutUndefined(field)]),
    );
  }
  return value;
}
