import { detectEntities } from '../formatting/auto-entities';
import { fileRef, mediaFields, photoSizes } from '../media/media-objects';
import type { BotState } from '../state/bot-state';
import type { FileKind, StoredFile } from '../state/file-store';
import { imageSize, mimeFor } from '../state/media-sniff';
import type { TgChat, TgMessage, TgUpdate, TgUser } from '../state/telegram-types';
import {
  MEDIA_KEYS,
  type InjectEditInput,
  type Injected,
  type InjectMediaGroupInput,
  type InjectMessageInput,
  type MediaInput,
  type UploadFileInput,
} from './injection-types';

export type {
  InjectEditInput,
  Injected,
  InjectMediaGroupInput,
  InjectMessageInput,
  MediaGroupItemInput,
  MediaInput,
  UploadFileInput,
} from './injection-types';
import type { SimulatorEngine } from '../simulator-engine';

export class ControlError extends Error {}

/** Builds customer-side updates (what Telegram would send to the bot) and queues them. */
export class Injector {
  private groupCounter = 0;

  constructor(private readonly engine: SimulatorEngine) {}

  uploadFile(bot: BotState, input: UploadFileInput): StoredFile {
    let data: Buffer;
    if (input.data_base64 !== undefined) data = Buffer.from(input.data_base64, 'base64');
    else if (input.size !== undefined && input.size >= 0) data = Buffer.alloc(input.size, 0x2a);
    else throw new ControlError('file needs data_base64 or size');
    return bot.files.add({
      kind: input.kind,
      data,
      file_name: input.file_name,
      mime_type: mimeFor(input.file_name, input.mime_type),
    });
  }

  message(bot: BotState, input: InjectMessageInput): Injected {
    const chat = this.chat(input.chat_id);
    const message = this.baseMessage(bot, chat, input.from_id, input.date);
    if (!message.from) throw new ControlError('from_id is required for group messages');
    if (input.reply_to_message_id !== undefined) {
      const target = bot.messages.get(chat.id, input.reply_to_message_id);
      if (!target) throw new ControlError(`message ${input.reply_to_message_id} not found`);
      const { reply_to_message: _nested, ...shallow } = target;
      message.reply_to_message = shallow;
    }
    if (input.media_group_id !== undefined) message.media_group_id = input.media_group_id;
    if (input.text !== undefined) {
      message.text = input.text;
      const entities = detectEntities(input.text, input.entities ?? []);
      if (entities.length > 0) message.entities = entities;
    }
    Object.assign(message, this.media(bot, input));
    if (input.caption !== undefined) {
      message.caption = input.caption;
      const entities = detectEntities(input.caption, input.caption_entities ?? []);
      if (entities.length > 0) message.caption_entities = entities;
    }
    if (input.location) message.location = input.location;
    if (input.contact) message.contact = input.contact;
    Object.assign(message, input.extra ?? {});
    return this.deliver(bot, 'message', message);
  }

  edit(bot: BotState, input: InjectEditInput): Injected {
    const original = bot.messages.get(input.chat_id, input.message_id);
    if (!original) throw new ControlError(`message ${input.message_id} not found`);
    const edited: TgMessage = {
      ...original,
      edit_date: input.edit_date ?? this.engine.nowSeconds(),
    };
    if (input.text !== undefined) {
      edited.text = input.text;
      const entities = detectEntities(input.text, input.entities ?? []);
      if (entities.length > 0) edited.entities = entities;
      else delete edited.entities;
    }
    if (input.caption !== undefined) {
      edited.caption = input.caption;
      const entities = detectEntities(input.caption, input.caption_entities ?? []);
      if (entities.length > 0) edited.caption_entities = entities;
      else delete edited.caption_entities;
    }
    return this.deliver(bot, 'edited_message', edited);
  }

  mediaGroup(bot: BotState, input: InjectMediaGroupInput): Injected[] {
    if (input.items.length < 2 || input.items.length > 10) {
      throw new ControlError('a media group has 2-10 items');
    }
    const groupId = input.media_group_id ?? `${13_000_000_000_000_000 + ++this.groupCounter}`;
    return input.items.map((item) =>
      this.message(bot, {
        chat_id: input.chat_id,
        from_id: input.from_id,
        media_group_id: groupId,
        [item.type]: item.media,
        caption: item.caption,
        caption_entities: item.caption_entities,
      }),
    );
  }

  /** The user blocks (or unblocks) the bot: sends fail with 403, a my_chat_member update arrives. */
  block(bot: BotState, userId: number, blocked: boolean): TgUpdate | undefined {
    const user = this.engine.world.users.get(userId);
    if (!user) throw new ControlError(`user ${userId} not found`);
    const chat =
      this.engine.world.chats.get(userId)?.chat ??
      this.engine.world.createChat({ type: 'private', user_id: userId });
    if (blocked) bot.blockedBy.add(userId);
    else bot.blockedBy.delete(userId);
    const member = { status: 'member', user: bot.user };
    const kicked = { status: 'kicked', user: bot.user, until_date: 0 };
    return bot.updates.push('my_chat_member', {
      chat,
      from: user,
      date: this.engine.nowSeconds(),
      old_chat_member: blocked ? member : kicked,
      new_chat_member: blocked ? kicked : member,
    });
  }

  /** Upgrades a group: service messages in the old and the new chat for each given bot. */
  migrate(
    chatId: number,
    bots: BotState[],
    fromId?: number,
  ): { chat: TgChat; updates: TgUpdate[] } {
    const old = this.chat(chatId);
    const supergroup = this.engine.world.migrate(chatId);
    const updates: TgUpdate[] = [];
    for (const bot of bots) {
      const from = fromId !== undefined ? this.user(fromId) : undefined;
      const inOld = this.baseMessage(bot, old, undefined, undefined, from);
      inOld.migrate_to_chat_id = supergroup.id;
      const inNew = this.baseMessage(bot, supergroup, undefined, undefined, from);
      inNew.migrate_from_chat_id = old.id;
      for (const m of [inOld, inNew]) {
        const { update } = this.deliver(bot, 'message', m);
        if (update) updates.push(update);
      }
    }
    return { chat: supergroup, updates };
  }

  private deliver(bot: BotState, kind: string, message: TgMessage): Injected {
    bot.messages.save(message);
    return { update: bot.updates.push(kind, message), message };
  }

  private chat(chatId: number): TgChat {
    const record = this.engine.world.chats.get(chatId);
    if (!record) throw new ControlError(`chat ${chatId} not found`);
    return record.chat;
  }

  private user(userId: number): TgUser {
    const user = this.engine.world.users.get(userId);
    if (!user) throw new ControlError(`user ${userId} not found`);
    return user;
  }

  private baseMessage(
    bot: BotState,
    chat: TgChat,
    fromId: number | undefined,
    date: number | undefined,
    fromUser?: TgUser,
  ): TgMessage {
    const message: TgMessage = {
      message_id: bot.messages.nextId(chat.id),
      date: date ?? this.engine.nowSeconds(),
      chat,
    };
    const senderId = fromId ?? (chat.type === 'private' ? chat.id : undefined);
    const from = fromUser ?? (senderId !== undefined ? this.user(senderId) : undefined);
    if (from) message.from = from;
    return message;
  }

  private media(bot: BotState, input: InjectMessageInput): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (input.photo !== undefined) out.photo = this.photo(bot, input.photo);
    for (const key of MEDIA_KEYS) {
      const media = input[key];
      if (media === undefined) continue;
      const file = this.file(bot, key, media);
      Object.assign(out, mediaFields(bot.files, key, file, media));
    }
    return out;
  }

  private photo(bot: BotState, input: MediaInput | MediaInput[]): unknown[] {
    if (!Array.isArray(input)) return photoSizes(bot.files, this.file(bot, 'photo', input), input);
    return input.map((size) => {
      const file = this.file(bot, 'photo', size);
      const dims = imageSize(file.data) ?? { width: size.width ?? 90, height: size.height ?? 90 };
      return {
        ...fileRef(file),
        width: size.width ?? dims.width,
        height: size.height ?? dims.height,
      };
    });
  }

  private file(bot: BotState, kind: FileKind, media: MediaInput): StoredFile {
    if (media.file_id !== undefined) {
      const known = bot.files.get(media.file_id);
      if (!known) throw new ControlError(`file ${media.file_id} not found`);
      return known;
    }
    return this.uploadFile(bot, { ...media, kind });
  }
}
