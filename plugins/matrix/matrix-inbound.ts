/**
 * What both receive paths (bot-mode /sync and appservice transactions) do with one room event or
 * receipt: skip the bot's own events, refuse encrypted ones, map and emit messages and receipts.
 */
import type { AccountContext } from '../../src/core/adapter';
import { isRecord } from './matrix-errors';
import type { MatrixRoomInfo } from './matrix-room-info';
import { mapMatrixEvent } from './matrix.mapper';
import type { MatrixEvent } from './matrix.types';

export class MatrixInbound {
  constructor(
    private readonly account: AccountContext,
    private readonly rooms: MatrixRoomInfo,
    private readonly userId: string,
    /** Throws when receiving stopped, so that nothing is emitted afterwards. */
    private readonly throwIfStopped: () => void = () => undefined,
  ) {}

  async timelineEvent(roomId: string, event: MatrixEvent): Promise<void> {
    if (event.sender === this.userId) return;
    if (event.type === 'm.room.encrypted') {
      this.account.logger.warn('matrix: encrypted message not delivered (no E2EE support)', {
        roomId,
        eventId: event.event_id,
        sender: event.sender,
      });
      return;
    }
    const displayName = await this.rooms.displayName(roomId, event.sender);
    const message = mapMatrixEvent(event, { roomId, senderDisplayName: displayName });
    if (!message) return;
    const isGroup = await this.rooms.isGroup(roomId);
    if (isGroup !== undefined) message.conversation.isGroup = isGroup;
    this.throwIfStopped();
    await this.account.emit(message);
  }

  /** `m.receipt` content: `{eventId: {"m.read": {userId: {ts}}}}`. */
  async receipts(roomId: string, content: Record<string, unknown>): Promise<void> {
    for (const [eventId, byType] of Object.entries(content)) {
      const read = isRecord(byType) ? byType['m.read'] : undefined;
      if (!isRecord(read)) continue;
      for (const [reader, receipt] of Object.entries(read)) {
        if (reader === this.userId) continue;
        if (!(await this.rooms.sentByBot(roomId, eventId))) continue;
        const ts = isRecord(receipt) && typeof receipt.ts === 'number' ? receipt.ts : Date.now();
        this.throwIfStopped();
        await this.account.emit({
          type: 'read',
          eventId: `read:${roomId}:${reader}:${eventId}`,
          conversation: { externalId: roomId },
          externalMessageIds: [eventId],
          upToAndIncluding: true,
          timestamp: new Date(ts).toISOString(),
        });
      }
    }
  }
}
