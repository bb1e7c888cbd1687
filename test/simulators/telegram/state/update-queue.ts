import { conflict, TelegramApiError } from '../http/errors';
import type { TgUpdate } from './telegram-types';

/** Update kinds that `allowed_updates: []` (the default) does not include. */
const OPT_IN_KINDS = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

interface Waiter {
  resolve: (updates: TgUpdate[]) => void;
  reject: (err: TelegramApiError) => void;
  limit: number;
  timer: NodeJS.Timeout;
}

export function updateKind(update: TgUpdate): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

/**
 * A bot's pending updates with getUpdates semantics: ascending update_id, confirmation by offset,
 * one held long poll at a time (a newer poll terminates the older one with 409).
 */
export class UpdateQueue {
  private pending: TgUpdate[] = [];
  private nextUpdateId: number;
  private allowed: string[] = [];
  private waiter: Waiter | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(firstUpdateId: number) {
    this.nextUpdateId = firstUpdateId;
  }

  get size(): number {
    return this.pending.length;
  }

  get allowedUpdates(): string[] {
    return [...this.allowed];
  }

  setAllowedUpdates(kinds: string[]): void {
    this.allowed = [...kinds];
  }

  isAllowed(kind: string): boolean {
    return this.allowed.length === 0 ? !OPT_IN_KINDS.has(kind) : this.allowed.includes(kind);
  }

  /** Adds an update unless allowed_updates filters it out; returns it (or undefined if filtered). */
  push(kind: string, payload: unknown): TgUpdate | undefined {
    if (!this.isAllowed(kind)) return undefined;
    const update: TgUpdate = { update_id: this.nextUpdateId++, [kind]: payload };
    this.pending.push(update);
    this.wakeWaiter();
    for (const listener of this.listeners) listener();
    return update;
  }

  onPush(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  peek(): TgUpdate | undefined {
    return this.pending[0];
  }

  /** Removes one delivered update (webhook mode). */
  remove(updateId: number): void {
    this.pending = this.pending.filter((u) => u.update_id !== updateId);
  }

  clear(): void {
    this.pending = [];
  }

  all(): TgUpdate[] {
    return [...this.pending];
  }

  /** Applies getUpdates' offset: positive confirms earlier updates, negative keeps the last -offset. */
  applyOffset(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset > 0) {
      this.pending = this.pending.filter((u) => u.update_id >= offset);
    } else {
      this.pending = this.pending.slice(Math.max(0, this.pending.length + offset));
    }
  }

  take(limit: number): TgUpdate[] {
    return this.pending.slice(0, limit);
  }

  /** Holds a long poll until an update arrives or `timeoutMs` passes (then resolves with []). */
  wait(limit: number, timeoutMs: number): { promise: Promise<TgUpdate[]>; cancel: () => void } {
    this.terminateWaiter(
      conflict(
        'terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    let waiter!: Waiter;
    const promise = new Promise<TgUpdate[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiter === waiter) this.waiter = undefined;
        resolve([]);
      }, timeoutMs);
      waiter = { resolve, reject, limit, timer };
    });
    this.waiter = waiter;
    const cancel = (): void => {
      if (this.waiter !== waiter) return;
      clearTimeout(waiter.timer);
      this.waiter = undefined;
      waiter.resolve([]);
    };
    return { promise, cancel };
  }

  /** Ends a held poll with an error (another poller, webhook set, simulator closing). */
  terminateWaiter(error?: TelegramApiError): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    if (error) w.reject(error);
    else w.resolve([]);
  }

  private wakeWaiter(): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve(this.take(w.limit));
  }
}
