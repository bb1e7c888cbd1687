import type { TgMessage } from './telegram-types';

interface ChatHistory {
  nextId: number;
  messages: Map<number, TgMessage>;
}

/** Messages one bot can see, per chat; message ids are allocated per chat. */
export class MessageStore {
  private readonly chats = new Map<number, ChatHistory>();

  private history(chatId: number): ChatHistory {
    let h = this.chats.get(chatId);
    if (!h) {
      h = { nextId: 1, messages: new Map() };
      this.chats.set(chatId, h);
    }
    return h;
  }

  nextId(chatId: number): number {
    return this.history(chatId).nextId++;
  }

  save(message: TgMessage): void {
    this.history(message.chat.id).messages.set(message.message_id, message);
  }

  delete(chatId: number, messageId: number): boolean {
    return this.chats.get(chatId)?.messages.delete(messageId) ?? false;
  }

  get(chatId: number, messageId: number): TgMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }
}
