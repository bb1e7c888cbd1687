import type { SimStore } from '../state/store';
import { clientEvent, receiptContent } from '../sync/format';
import type {
  AppservicePushConfig,
  AppserviceRegistration,
  ReceiptRecord,
  RecordedEvent,
  TransactionRecord,
} from '../types';
import type { JsonObject } from '../util/json';
import type { AppserviceRegistry } from './registry';

interface Queue {
  events: JsonObject[];
  ephemeral: JsonObject[];
  inFlight?: TransactionRecord;
  nextTxn: number;
  backoffMs: number;
  timer?: NodeJS.Timeout;
}

/**
 * Pushes `PUT /_matrix/app/v1/transactions/{txnId}` to each application service, one transaction
 * in flight per AS. A failed transaction (non-2xx or network error) is resent unchanged, with the
 * same txnId, after an exponential backoff; new events wait for the next transaction.
 */
export class AppservicePusher {
  readonly transactions: TransactionRecord[] = [];
  private readonly queues = new Map<string, Queue>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;
  paused = false;

  constructor(
    private readonly store: SimStore,
    private readonly registry: AppserviceRegistry,
    public config: AppservicePushConfig,
  ) {
    store.on('event', (r: RecordedEvent) => this.onEvent(r));
    store.on('receipt', (r: ReceiptRecord) => this.onReceipt(r));
  }

  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) clearTimeout(q.timer);
  }

  /** True when nothing is queued or in flight for any AS. */
  idle(): boolean {
    return [...this.queues.values()].every(
      (q) => !q.inFlight && q.events.length === 0 && q.ephemeral.length === 0,
    );
  }

  waitForIdle(timeoutMs = 5000): Promise<boolean> {
    if (this.idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  resume(): void {
    this.paused = false;
    for (const id of this.queues.keys()) this.schedule(id);
  }

  private queue(id: string): Queue {
    let q = this.queues.get(id);
    if (!q) {
      q = { events: [], ephemeral: [], nextTxn: 1, backoffMs: this.config.initialBackoffMs };
      this.queues.set(id, q);
    }
    return q;
  }

  private interested(reg: AppserviceRegistration, r: RecordedEvent): boolean {
    const { event } = r;
    if (this.registry.ownsUser(reg, event.sender)) return true;
    if (
      event.type === 'm.room.member' &&
      event.state_key &&
      this.registry.ownsUser(reg, event.state_key)
    ) {
      return true;
    }
    const room = this.store.rooms.get(event.room_id);
    if (!room) return false;
    if (room.joinedUserIds().some((u) => this.registry.ownsUser(reg, u))) return true;
    return this.registry.matchesRoom(reg, room.roomId, room.aliases);
  }

  private onEvent(r: RecordedEvent): void {
    for (const reg of this.registry.all()) {
      if (!reg.url || !this.interested(reg, r)) continue;
      this.queue(reg.id).events.push({ ...clientEvent(r, undefined, Date.now()) });
      this.schedule(reg.id);
    }
  }

  private onReceipt(r: ReceiptRecord): void {
    if (r.receiptType === 'm.read.private') return;
    const room = this.store.rooms.get(r.roomId);
    if (!room) return;
    for (const reg of this.registry.all()) {
      if (!reg.url || !this.registry.wantsEphemeral(reg)) continue;
      const joined = room.joinedUserIds().some((u) => this.registry.ownsUser(reg, u));
      if (!joined && !this.registry.matchesRoom(reg, room.roomId, room.aliases)) continue;
      this.queue(reg.id).ephemeral.push({
        type: 'm.receipt',
        room_id: r.roomId,
        content: receiptContent([r]),
      });
      this.schedule(reg.id);
    }
  }

  private schedule(id: string): void {
    const q = this.queue(id);
    if (this.closed || this.paused || q.inFlight || q.timer) return;
    q.timer = setTimeout(() => {
      q.timer = undefined;
      this.startNext(id);
    }, 0);
  }

  private startNext(id: string): void {
    const q = this.queue(id);
    const reg = this.registry.get(id);
    if (!reg?.url || q.inFlight || this.closed || this.paused) return this.checkIdle();
    if (q.events.length === 0 && q.ephemeral.length === 0) return this.checkIdle();
    const events = q.events.splice(0, this.config.maxEventsPerTransaction);
    const ephemeral = q.ephemeral.splice(0, q.ephemeral.length);
    const body: JsonObject = { events };
    if (this.registry.wantsEphemeral(reg)) {
      if (this.config.ephemeralKeys !== 'unstable') body.ephemeral = ephemeral;
      if (this.config.ephemeralKeys !== 'stable') body['de.sorunome.msc2409.ephemeral'] = ephemeral;
    }
    const txn: TransactionRecord = {
      appserviceId: id,
      txnId: String(q.nextTxn++),
      body,
      attempts: [],
      delivered: false,
    };
    this.transactions.push(txn);
    q.inFlight = txn;
    q.backoffMs = this.config.initialBackoffMs;
    void this.attempt(reg, q, txn);
  }

  private async attempt(
    reg: AppserviceRegistration,
    q: Queue,
    txn: TransactionRecord,
  ): Promise<void> {
    if (this.closed) return;
    const started = Date.now();
    const url = `${(reg.url ?? '').replace(/\/$/, '')}/_matrix/app/v1/transactions/${encodeURIComponent(txn.txnId)}`;
    let ok = false;
    try {
      const res = await fetch(url, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${reg.hs_token}` },
        body: JSON.stringify(txn.body),
        signal: AbortSignal.timeout(this.config.requestTimeoutMs),
      });
      const text = await res.text();
      ok = res.ok;
      txn.attempts.push({
        at: started,
        status: res.status,
        responseBody: text,
        durationMs: Date.now() - started,
      });
    } catch (err) {
      txn.attempts.push({ at: started, error: String(err), durationMs: Date.now() - started });
    }
    if (this.closed) return;
    if (ok) {
      txn.delivered = true;
      q.inFlight = undefined;
      this.store.emit('transaction', txn);
      this.startNext(reg.id);
      return;
    }
    const delay = q.backoffMs;
    q.backoffMs = Math.min(this.config.maxBackoffMs, q.backoffMs * 2);
    q.timer = setTimeout(() => {
      q.timer = undefined;
      void this.attempt(reg, q, txn);
    }, delay);
  }

  private checkIdle(): void {
    if (!this.idle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
