import { Injectable } from '@nestjs/common';
import { GroupCommit } from '../../core/persistence/group-commit';
import type { PublishedInbound } from '../../core/persistence/models/message.model';
import { ConversationRepository } from '../../core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../core/persistence/repositories/message.repository';

/** A customer message HubSpot accepted, and the platform time that moves its conversation. */
export interface PublishedRecord extends PublishedInbound {
  at: Date;
}

/**
 * Records where published customer messages landed: the PUBLISHED record with its platform id,
 * and the conversation's inbound activity. Jobs publishing at the same time share the writes
 * (GroupCommit): three statements for a batch of messages instead of three per message, which
 * at full load was a third of the gateway's SQLite statements. Each job still waits for its
 * own record before it completes.
 */
@Injectable()
export class PublishedInboundRecorder {
  private readonly commits = new GroupCommit<PublishedRecord>((records) => this.write(records));

  constructor(
    private readonly messages: MessageRepository,
    private readonly conversations: ConversationRepository,
  ) {}

  record(record: PublishedRecord): Promise<void> {
    return this.commits.submit(record);
  }

  private async write(records: PublishedRecord[]): Promise<void> {
    await this.messages.recordPublishedInbounds(records);
    await this.conversations.touchIncoming(
      records.map((record) => ({ id: record.input.conversationId, at: record.at })),
    );
  }
}
