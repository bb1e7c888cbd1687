import { FileStore } from './file-store';
import { MessageStore } from './message-store';
import type { TgUser } from './telegram-types';
import { UpdateQueue } from './update-queue';
import type { WebhookDeliverer } from '../webhook/webhook-deliverer';

/** Something a bot sent successfully, as tests read it back. */
export interface SentRecord {
  method: string;
  chat_id: number;
  message_ids: number[];
  /** Validated parameters; uploaded files replaced by {file_name, mime_type, size}. */
  params: Record<string, unknown>;
  /** Files that arrived with the call (uploads or downloaded URLs), by parameter/attach name. */
  files: Array<{
    param: string;
    file_id: string;
    file_name?: string;
    mime_type?: string;
    size: number;
  }>;
  /** The Message objects returned to the bot. */
  messages: Array<Record<string, unknown>>;
  at: number;
}

export interface BotFlags {
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
}

/** Everything the simulator knows about one bot token. */
export class BotState {
  readonly files: FileStore;
  readonly messages = new MessageStore();
  readonly updates: UpdateQueue;
  readonly sent: SentRecord[] = [];
  readonly blockedBy = new Set<number>();
  readonly reactions: Array<{ chat_id: number; message_id: number; reaction: unknown }> = [];
  readonly deleted: Array<{ chat_id: number; message_id: number }> = [];
  webhook!: WebhookDeliverer;

  constructor(
    readonly token: string,
    readonly user: TgUser,
    readonly flags: BotFlags,
    firstUpdateId: number,
  ) {
    this.files = new FileStore(user.id);
    this.updates = new UpdateQueue(firstUpdateId);
  }

  getMe(): Record<string, unknown> {
    return { ...this.user, ...this.flags };
  }
}
