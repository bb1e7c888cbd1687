/**
 * Appservice mode, receiving: the homeserver pushes transactions
 * (`PUT /_matrix/app/v1/transactions/{txnId}`) to the account's webhook URL. Transactions of an
 * account are handled one at a time (per process); a txnId already processed is acknowledged
 * without emitting again (the processed ids live in the account state, so this holds across
 * restarts and gateway processes); a failed emit answers 500 so that the homeserver resends the
 * identical transaction.
 */
import type { AccountContext, AdapterWebhookResponse } from '../../src/core/adapter';
import { isRecord } from './matrix-errors';
import { CLIENT_V3, seg, type MatrixHttpClient } from './matrix-http';
import { MatrixInbound } from './matrix-inbound';
import { MatrixRoomInfo } from './matrix-room-info';
import type { MatrixEvent } from './matrix.types';

export const DONE_TXNS_KEY = 'appserviceTxns';
/** Homeservers resend only their current transaction, so a short memory is plenty. */
const KEEP_TXNS = 200;
const EPHEMERAL_KEYS = ['ephemeral', 'de.sorunome.msc2409.ephemeral'];

export interface AppserviceOptions {
  /** Join rooms the appservice bot is invited to. */
  autoJoin: boolean;
}

class ReceiverStopped extends Error {}

export class MatrixAppserviceReceiver {
  private readonly rooms: MatrixRoomInfo;
  private readonly inbound: MatrixInbound;
  /** The transaction being handled and those waiting behind it. */
  private queue: Promise<unknown> = Promise.resolve();
  /** A retry of a transaction still in progress shares its outcome instead of running twice. */
  private readonly inFlight = new Map<string, Promise<AdapterWebhookResponse>>();
  private stopped = false;

  constructor(
    readonly account: AccountContext,
    private readonly client: MatrixHttpClient,
    private readonly userId: string,
    private readonly options: AppserviceOptions,
  ) {
    this.rooms = new MatrixRoomInfo(account, client, userId);
    this.inbound = new MatrixInbound(account, this.rooms, userId, () => {
      if (this.stopped) throw new ReceiverStopped('receiving stopped');
    });
  }

  /** Handles one authenticated transaction (the caller checked the hs_token and the route). */
  transaction(txnId: string, rawBody: Buffer): Promise<AdapterWebhookResponse> {
    const body = parse(rawBody);
    if (!body) {
      return Promise.resolve({
        status: 400,
        body: { errcode: 'M_NOT_JSON', error: 'Body is not a JSON object' },
      });
    }
    const running = this.inFlight.get(txnId);
    if (running) return running;
    const result = this.queue.then(() => this.handle(txnId, body));
    this.queue = result.catch(() => undefined);
    this.inFlight.set(txnId, result);
    void result.finally(() => this.inFlight.delete(txnId)).catch(() => undefined);
    return result;
  }

  /** Stops emitting and waits for the transaction in progress (it answers 503, not 200). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
  }

  private async handle(
    txnId: string,
    body: Record<string, unknown>,
  ): Promise<AdapterWebhookResponse> {
    if (this.stopped) return notReceiving();
    const done = (await this.account.state.get<string[]>(DONE_TXNS_KEY)) ?? [];
    if (done.includes(txnId)) {
      this.account.logger.debug('matrix: transaction already processed', { txnId });
      return { status: 200, body: {} };
    }
    try {
      await this.process(body);
    } catch (error) {
      if (error instanceof ReceiverStopped) return notReceiving();
      this.account.logger.warn('matrix: transaction failed, the homeserver will retry', {
        txnId,
        error: String(error),
      });
      return { status: 500, body: { errcode: 'M_UNKNOWN', error: 'Could not store the events' } };
    }
    // Atomic: another gateway process may record a transaction of this account meanwhile.
    await this.account.state.update<string[]>(DONE_TXNS_KEY, (current = []) =>
      current.includes(txnId) ? current : [...current, txnId].slice(-KEEP_TXNS),
    );
    return { status: 200, body: {} };
  }

  private async process(body: Record<string, unknown>): Promise<void> {
    const events = Array.isArray(body.events) ? body.events.filter(isEvent) : [];
    for (const event of events) {
      const roomId = event.room_id ?? '';
      this.rooms.observe(roomId, event);
      if (event.type === 'm.room.member' && event.state_key === this.userId) {
        if (event.content.membership === 'invite') await this.join(roomId);
        continue;
      }
      if (event.type === 'm.room.encryption' || event.type === 'm.room.encrypted') {
        await this.rooms.refuseEncrypted(roomId);
      }
      await this.inbound.timelineEvent(roomId, event);
    }
    // Synapse sends receipts under the unstable key, spec v1.13 under `ephemeral`; some both.
    const seen = new Set<string>();
    for (const key of EPHEMERAL_KEYS) {
      const list = Array.isArray(body[key]) ? (body[key] as unknown[]) : [];
      for (const event of list.filter(isEphemeral)) {
        const fingerprint = JSON.stringify([event.room_id, event.content]);
        if (event.type !== 'm.receipt' || !event.room_id || seen.has(fingerprint)) continue;
        seen.add(fingerprint);
        await this.inbound.receipts(event.room_id, event.content);
      }
    }
  }

  private async join(roomId: string): Promise<void> {
    if (!this.options.autoJoin) return;
    try {
      // Without `?user_id=` an as_token acts as the registration's sender_localpart user.
      await this.client.json({
        method: 'POST',
        path: `${CLIENT_V3}/join/${seg(roomId)}`,
        json: {},
      });
      this.account.logger.info('matrix: joined a room on invite', { roomId });
    } catch (error) {
      this.account.logger.warn('matrix: could not join a room', { roomId, error: String(error) });
      return;
    }
    // The room's earlier state is never pushed (the bot was not in it yet): an encrypted room
    // is refused right away, before the customer writes messages nobody can read.
    if (await this.rooms.isEncrypted(roomId)) await this.rooms.refuseEncrypted(roomId);
  }
}

/** For an account that is not receiving: the homeserver keeps the transaction and resends it. */
export function notReceiving(): AdapterWebhookResponse {
  return { status: 503, body: { errcode: 'M_UNKNOWN', error: 'Not receiving for this account' } };
}

function parse(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isEphemeral(
  value: unknown,
): value is { type: string; room_id?: string; content: Record<string, unknown> } {
  return isRecord(value) && typeof value.type === 'string' && isRecord(value.content);
}

function isEvent(value: unknown): value is MatrixEvent {
  return (
    isRecord(value) &&
    typeof value.type === 'string' &&
    typeof value.sender === 'string' &&
    isRecord(value.content)
  );
}
