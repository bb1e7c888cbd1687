/**
 * What the receive loop remembers about rooms: member display names, whether a room is a group,
 * which events the bot sent (for read receipts), and encrypted rooms (refused once with a notice,
 * persisted in state).
 */
import type { AccountContext } from '../../src/core/adapter';
import { isRecord, MatrixApiError } from './matrix-errors';
import { CLIENT_V3, seg, type MatrixHttpClient } from './matrix-http';
import { txnIdFor } from './matrix-outbound';
import type { MatrixEvent } from './matrix.types';

export const ENCRYPTED_NOTICE =
  'This support channel does not support end-to-end encrypted rooms yet, so messages here do not reach our team. Please message us from an unencrypted room (in Element: create a room or DM with encryption turned off).';

const MAX_SENDERS = 10_000;
const MAX_ROOMS = 10_000;

export const encryptedRoomKey = (roomId: string): string => `encryptedRoom:${roomId}`;

export class MatrixRoomInfo {
  private readonly names = new Map<string, string | undefined>();
  private readonly senders = new Map<string, string | undefined>();
  private readonly groups = new Map<string, boolean>();

  constructor(
    private readonly account: AccountContext,
    private readonly client: MatrixHttpClient,
    private readonly userId: string,
  ) {}

  observe(roomId: string, event: MatrixEvent): void {
    if (event.type === 'm.room.member' && event.state_key) {
      const name = event.content.displayname;
      this.names.set(`${roomId}|${event.state_key}`, typeof name === 'string' ? name : undefined);
      // Someone joined or left: whether the room is a group is asked again.
      this.groups.delete(roomId);
    }
    if (event.event_id) this.remember(event.event_id, event.sender);
  }

  /** Remembers who sent an event; the oldest entries go first (bounded memory). */
  private remember(eventId: string, sender: string | undefined): void {
    this.senders.delete(eventId);
    this.senders.set(eventId, sender);
    if (this.senders.size > MAX_SENDERS) {
      const oldest = this.senders.keys().next();
      if (!oldest.done) this.senders.delete(oldest.value);
    }
  }

  async displayName(roomId: string, userId: string): Promise<string | undefined> {
    const key = `${roomId}|${userId}`;
    if (!this.names.has(key)) {
      try {
        const content = await this.client.json<Record<string, unknown>>({
          path: `${CLIENT_V3}/rooms/${seg(roomId)}/state/m.room.member/${seg(userId)}`,
        });
        this.names.set(
          key,
          typeof content.displayname === 'string' ? content.displayname : undefined,
        );
      } catch {
        return undefined;
      }
    }
    return this.names.get(key);
  }

  /**
   * Whether more people than the bot and one customer are in the room (their messages then carry
   * the sender's name for agents); undefined when the homeserver cannot tell.
   */
  async isGroup(roomId: string): Promise<boolean | undefined> {
    if (!this.groups.has(roomId)) {
      try {
        const members = await this.client.json<{ joined?: unknown }>({
          path: `${CLIENT_V3}/rooms/${seg(roomId)}/joined_members`,
        });
        if (!isRecord(members.joined)) return undefined;
        if (this.groups.size >= MAX_ROOMS) this.groups.clear();
        this.groups.set(roomId, Object.keys(members.joined).length > 2);
      } catch {
        return undefined;
      }
    }
    return this.groups.get(roomId);
  }

  async sentByBot(roomId: string, eventId: string): Promise<boolean> {
    if (!this.senders.has(eventId)) {
      try {
        const event = await this.client.json<Record<string, unknown>>({
          path: `${CLIENT_V3}/rooms/${seg(roomId)}/event/${seg(eventId)}`,
        });
        this.remember(eventId, typeof event.sender === 'string' ? event.sender : undefined);
      } catch {
        return false;
      }
    }
    return this.senders.get(eventId) === this.userId;
  }

  /** Whether the room has `m.room.encryption` state (asked of the homeserver). */
  async isEncrypted(roomId: string): Promise<boolean> {
    try {
      await this.client.json({
        path: `${CLIENT_V3}/rooms/${seg(roomId)}/state/m.room.encryption`,
      });
      return true;
    } catch (error) {
      if (!(error instanceof MatrixApiError && error.errcode === 'M_NOT_FOUND')) {
        this.account.logger.warn('matrix: could not read whether a room is encrypted', {
          roomId,
          error: String(error),
        });
      }
      return false;
    }
  }

  /** Posts the "encrypted rooms are not supported" notice once per room and warns the operator. */
  async refuseEncrypted(roomId: string): Promise<void> {
    const key = encryptedRoomKey(roomId);
    if (await this.account.state.get<boolean>(key)) return;
    const warning = `Matrix room ${roomId} is end-to-end encrypted; its messages cannot be read and are not delivered to HubSpot.`;
    this.account.logger.warn('matrix: encrypted room refused', { roomId });
    this.account.reportWarning(warning);
    try {
      await this.client.json({
        method: 'PUT',
        path: `${CLIENT_V3}/rooms/${seg(roomId)}/send/m.room.message/${seg(txnIdFor(key, 0))}`,
        json: { msgtype: 'm.notice', body: ENCRYPTED_NOTICE },
      });
    } catch (error) {
      this.account.logger.warn('matrix: could not post the encrypted-room notice', {
        roomId,
        error: String(error),
      });
    }
    await this.account.state.set(key, true);
  }
}
