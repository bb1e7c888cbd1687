/**
 * The bot-mode receive loop of one account: long-polls /sync, emits customer messages and read
 * receipts, auto-joins invites, and persists `next_batch` only after every emit of the batch
 * resolved (a crash or restart re-reads the batch; the gateway dedupes by eventId).
 */
import type { AccountContext } from '../../src/core/adapter';
import { MatrixApiError, toGatewayError } from './matrix-errors';
import { CLIENT_V3, seg, type MatrixHttpClient } from './matrix-http';
import { MatrixRoomInfo } from './matrix-room-info';
import { MatrixInbound } from './matrix-inbound';
import type { MatrixEvent, SyncResponse, SyncRoomJoined } from './matrix.types';

export const SINCE_KEY = 'syncSince';

export const SYNC_FILTER = JSON.stringify({
  room: {
    timeline: {
      types: [
        'm.room.message',
        'm.sticker',
        'm.room.member',
        'm.room.encrypted',
        'm.room.encryption',
      ],
      limit: 50,
    },
    state: { types: ['m.room.member', 'm.room.encryption'], lazy_load_members: true },
    ephemeral: { types: ['m.receipt'] },
    account_data: { types: [] },
  },
  presence: { types: [] },
  account_data: { types: [] },
});

export interface SyncOptions {
  timeoutMs: number;
  retryDelayMs: number;
  autoJoin: boolean;
}

export class MatrixSyncLoop {
  private readonly abort = new AbortController();
  private running?: Promise<void>;
  private readonly rooms: MatrixRoomInfo;
  private readonly inbound: MatrixInbound;

  constructor(
    private readonly account: AccountContext,
    private readonly client: MatrixHttpClient,
    private readonly userId: string,
    private readonly options: SyncOptions,
  ) {
    this.rooms = new MatrixRoomInfo(account, client, userId);
    this.inbound = new MatrixInbound(account, this.rooms, userId, () => this.throwIfStopped());
  }

  /** Establishes a sync position (first start: now, history skipped), then loops in the background. */
  async start(): Promise<void> {
    if ((await this.account.state.get<string>(SINCE_KEY)) === undefined) {
      const first = await this.sync(undefined, 0).catch((error: unknown) => {
        throw toGatewayError(error, 'first sync');
      });
      await this.process(first, true);
      await this.account.state.set(SINCE_KEY, first.next_batch);
    }
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    let delay = this.options.retryDelayMs;
    while (!this.abort.signal.aborted) {
      try {
        const since = await this.account.state.get<string>(SINCE_KEY);
        const response = await this.sync(since, this.options.timeoutMs);
        await this.process(response, false);
        // Every emit of the batch resolved (a stop mid-batch throws above): safe to move on.
        await this.account.state.set(SINCE_KEY, response.next_batch);
        delay = this.options.retryDelayMs;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.account.logger.warn('matrix: sync failed, retrying', {
          error: String(error),
          retryInMs: delay,
        });
        if (error instanceof MatrixApiError && error.errcode === 'M_UNKNOWN_TOKEN') {
          this.account.reportWarning(`Matrix: the access token was rejected (${error.reason})`);
        }
        await this.sleep(delay);
        delay = Math.min(delay * 2, 60_000);
      }
    }
  }

  private sync(since: string | undefined, timeoutMs: number): Promise<SyncResponse> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeoutMs + 30_000)]);
    return this.client.json<SyncResponse>({
      path: `${CLIENT_V3}/sync`,
      query: { since, timeout: String(timeoutMs), filter: SYNC_FILTER, set_presence: 'offline' },
      signal,
    });
  }

  /** Handles one sync batch; `initial` skips history (no emits) but still joins and checks rooms. */
  private async process(response: SyncResponse, initial: boolean): Promise<void> {
    for (const [roomId, invite] of Object.entries(response.rooms?.invite ?? {})) {
      await this.join(roomId, invite.invite_state?.events ?? []);
    }
    for (const [roomId, room] of Object.entries(response.rooms?.join ?? {})) {
      await this.processRoom(roomId, room, initial);
    }
  }

  private async join(roomId: string, inviteState: MatrixEvent[]): Promise<void> {
    if (!this.options.autoJoin) return;
    const inviter = inviteState.find(
      (e) => e.type === 'm.room.member' && e.state_key === this.userId,
    );
    try {
      await this.client.json({
        method: 'POST',
        path: `${CLIENT_V3}/join/${seg(roomId)}`,
        json: {},
      });
      this.account.logger.info('matrix: joined a room on invite', {
        roomId,
        inviter: inviter?.sender,
      });
    } catch (error) {
      this.account.logger.warn('matrix: could not join a room', { roomId, error: String(error) });
    }
  }

  private async processRoom(roomId: string, room: SyncRoomJoined, initial: boolean): Promise<void> {
    const timeline = room.timeline?.events ?? [];
    for (const event of [...(room.state?.events ?? []), ...timeline])
      this.rooms.observe(roomId, event);
    const encrypted = [...(room.state?.events ?? []), ...timeline].some(
      (e) => e.type === 'm.room.encryption' || e.type === 'm.room.encrypted',
    );
    if (encrypted) await this.rooms.refuseEncrypted(roomId);
    if (initial) return;
    if (room.timeline?.limited) {
      this.account.logger.warn('matrix: sync gap, older messages of this batch were not fetched', {
        roomId,
      });
    }
    for (const event of timeline) await this.inbound.timelineEvent(roomId, event);
    for (const event of room.ephemeral?.events ?? []) {
      if (event.type === 'm.receipt') await this.inbound.receipts(roomId, event.content);
    }
  }

  private throwIfStopped(): void {
    if (this.abort.signal.aborted) throw new Error('receiving stopped');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }
}
