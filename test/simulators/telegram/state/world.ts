import type { ChatType, TgChat, TgUser } from './telegram-types';

export interface ChatRecord {
  chat: TgChat;
  /** Set when a group was upgraded: sends to the old id fail with migrate_to_chat_id. */
  migratedTo?: number;
}

export interface CreateUserInput {
  id?: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
}

export interface CreateChatInput {
  type: ChatType;
  id?: number;
  /** For private chats: the user on the other side (created if missing). */
  user_id?: number;
  title?: string;
  username?: string;
}

/** Users and chats shared by all bots of one simulator. */
export class World {
  readonly users = new Map<number, TgUser>();
  readonly chats = new Map<number, ChatRecord>();
  private nextUserId = 100_000_001;
  private nextGroupId = 4_000_000_001;
  private nextSupergroupSuffix = 1_000_000_001;

  createUser(input: CreateUserInput = {}): TgUser {
    const id = input.id ?? this.nextUserId++;
    const user: TgUser = { id, is_bot: false, first_name: input.first_name ?? `User ${id}` };
    if (input.last_name !== undefined) user.last_name = input.last_name;
    if (input.username !== undefined) user.username = input.username;
    if (input.language_code !== undefined) user.language_code = input.language_code;
    if (input.is_premium !== undefined) user.is_premium = input.is_premium;
    this.users.set(id, user);
    return user;
  }

  addBotUser(user: TgUser): void {
    this.users.set(user.id, user);
  }

  createChat(input: CreateChatInput): TgChat {
    if (input.type === 'private') {
      const user =
        (input.user_id !== undefined ? this.users.get(input.user_id) : undefined) ??
        this.createUser({ id: input.user_id });
      const chat: TgChat = { id: user.id, type: 'private', first_name: user.first_name };
      if (user.last_name !== undefined) chat.last_name = user.last_name;
      if (user.username !== undefined) chat.username = user.username;
      this.chats.set(chat.id, { chat });
      return chat;
    }
    const id =
      input.id ??
      (input.type === 'group' ? -this.nextGroupId++ : -Number(`100${this.nextSupergroupSuffix++}`));
    const chat: TgChat = { id, type: input.type, title: input.title ?? `Chat ${id}` };
    if (input.username !== undefined) chat.username = input.username;
    this.chats.set(id, { chat });
    return chat;
  }

  /** Upgrades a group to a new supergroup and returns it. */
  migrate(groupId: number): TgChat {
    const record = this.chats.get(groupId);
    if (!record || record.chat.type !== 'group') throw new Error(`chat ${groupId} is not a group`);
    if (record.migratedTo !== undefined) throw new Error(`chat ${groupId} was already migrated`);
    const supergroup = this.createChat({ type: 'supergroup', title: record.chat.title });
    record.migratedTo = supergroup.id;
    return supergroup;
  }

  findChat(idOrUsername: number | string): ChatRecord | undefined {
    if (typeof idOrUsername === 'number') return this.chats.get(idOrUsername);
    const wanted = idOrUsername.replace(/^@/, '').toLowerCase();
    for (const record of this.chats.values()) {
      if (record.chat.username?.toLowerCase() === wanted) return record;
    }
    return undefined;
  }
}
