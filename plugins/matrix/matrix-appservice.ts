/**
 * Appservice mode, receiving: the homeserver pushes transactions
 * (`PUT /_matrix/app/v1/transactions/{txnId}`, `Authorization: Bearer <hs_token>`) to the
 * account's webhook URL. A txnId already processed is acknowledged without re-emitting; a failed
 * emit answers 500 so that the homeserver retries the identical transaction.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  AccountContext,
  AdapterWebhookRequest,
  AdapterWebhookResponse,
} from '../../src/core/adapter';
import { isRecord } from './matrix-errors';
import { CLIENT_V3, seg, type MatrixHttpClient } from './matrix-http';
import { MatrixInbound } from './matrix-inbound';
import { MatrixRoomInfo } from './matrix-room-info';
import type { MatrixEvent } from './matrix.types';

export const DONE_TXNS_KEY = 'appserviceTxns';
const KEEP_TXNS = 200;
const TXN_PATH = /^(?:\/_matrix\/app\/v1)?\/transactions\/([^/]+)$/;
const EPHEMERAL_KEYS = ['ephemeral', 'de.sorunome.msc2409.ephemeral'];

const unrecognized = (status: number): AdapterWebhookResponse => ({
  status,
  body: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' },
});

/** True when the request carries the hs_token (Bearer header, or the legacy query form). */
export function hasHsToken(request: AdapterWebhookRequest, hsToken: string | undefined): boolean {
  if (!hsToken) return false;
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : request.query.access_token;
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(hsToken));
}

export class MatrixAppserviceReceiver {
  private readonly rooms: MatrixRoomInfo;
  private readonly inbound: MatrixInbound;

  constructor(
    private readonly account: AccountContext,
    private readonly client: MatrixHttpClient,
    private readonly userId: string,
  ) {
    this.rooms = new MatrixRoomInfo(account, client, userId);
    this.inbound = new MatrixInbound(account, this.rooms, userId);
  }

  /** Handles an authenticated request (the caller checked the hs_token). */
  async handle(request: AdapterWebhookRequest): Promise<AdapterWebhookResponse> {
    if (request.subPath === '/_matrix/app/v1/ping' && request.method === 'POST') {
      return { status: 200, body: {} };
    }
    const match = TXN_PATH.exec(request.subPath);
    if (!match) return unrecognized(404);
    if (request.method !== 'PUT') return unrecognized(405);
    const txnId = decodeURIComponent(match[1]);
    const body = parse(request.rawBody);
    if (!body) {
      return { status: 400, body: { errcode: 'M_NOT_JSON', error: 'Body is not a JSON object' } };
    }
    const done = (await this.account.state.get<string[]>(DONE_TXNS_KEY)) ?? [];
    if (done.includes(txnId)) return { status: 200, body: {} };
    try {
      await this.process(body);
    } catch (error) {
      this.account.logger.warn('matrix: transaction failed, the homeserver will retry', {
        txnId,
        error: String(error),
      });
      return { status: 500, body: { errcode: 'M_UNKNOWN', error: 'Could not store the events' } };
    }
    await this.account.state.set(DONE_TXNS_KEY, [...done, txnId].slice(-KEEP_TXNS));
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
    try {
      await this.client.json({
        method: 'POST',
        path: `${CLIENT_V3}/join/${seg(roomId)}`,
        json: {},
      });
    } catch (error) {
      this.account.logger.warn('matrix: could not join a room', { roomId, error: String(error) });
    }
  }
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
