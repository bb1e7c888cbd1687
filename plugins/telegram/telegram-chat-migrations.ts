/**
 * Groups upgraded to supergroups get a new chat id. The mapping old id -> new id is kept in the
 * account state (`chatMigrations`), learned from whichever comes first: the service message with
 * `migrate_to_chat_id` in the old group, the one with `migrate_from_chat_id` in the supergroup,
 * or a send to the old id answered with `migrate_to_chat_id`.
 *
 * Sends follow it forwards (old -> new); inbound messages of the supergroup follow it backwards,
 * so the conversation keeps the ORIGINAL chat id and stays in its HubSpot thread.
 */
import type { Message } from 'grammy/types';
import type { AccountStateStore, InboundMessageEvent } from '../../src/core/adapter';

const STATE_KEY = 'chatMigrations';
/** A group migrates once; the bound only guards against a corrupted, cyclic state. */
const MAX_HOPS = 5;

type Migrations = Record<string, number>;

export interface ChatMigration {
  from: number;
  to: number;
}

/** The chat a send to `chatId` must go to now (the supergroup of a migrated group). */
export async function currentChatId(state: AccountStateStore, chatId: number): Promise<number> {
  const migrations = (await state.get<Migrations>(STATE_KEY)) ?? {};
  let current = chatId;
  for (let hops = 0; hops < MAX_HOPS && migrations[String(current)] !== undefined; hops++) {
    current = migrations[String(current)];
  }
  return current;
}

/** The chat id a conversation was first known by: the group a supergroup was migrated from. */
export async function originalChatId(state: AccountStateStore, chatId: number): Promise<number> {
  const migrations = (await state.get<Migrations>(STATE_KEY)) ?? {};
  let original = chatId;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    const from = Object.keys(migrations).find((key) => migrations[key] === original);
    if (from === undefined) break;
    original = Number(from);
  }
  return original;
}

/** Atomic across gateway processes; recording a known migration again changes nothing. */
export async function rememberMigration(
  state: AccountStateStore,
  from: number,
  to: number,
): Promise<void> {
  if (from === to) return;
  await state.update<Migrations>(STATE_KEY, (migrations = {}) =>
    migrations[String(from)] === to ? migrations : { ...migrations, [String(from)]: to },
  );
}

/** The migration a service message announces, in either of the two chats. */
export function migrationOf(message: Message): ChatMigration | undefined {
  if (message.migrate_to_chat_id !== undefined) {
    return { from: message.chat.id, to: message.migrate_to_chat_id };
  }
  if (message.migrate_from_chat_id !== undefined) {
    return { from: message.migrate_from_chat_id, to: message.chat.id };
  }
  return undefined;
}

/**
 * The event with its conversation under the original chat id when it comes from a supergroup
 * that was migrated from a group; the title and group flag stay the supergroup's. Only group
 * chats can have been migrated, so private chats are not looked up.
 */
export async function inOriginalConversation(
  state: AccountStateStore,
  event: InboundMessageEvent,
): Promise<InboundMessageEvent> {
  if (!event.conversation.isGroup) return event;
  const chatId = Number(event.conversation.externalId);
  if (!Number.isSafeInteger(chatId)) return event;
  const original = await originalChatId(state, chatId);
  if (original === chatId) return event;
  return { ...event, conversation: { ...event.conversation, externalId: String(original) } };
}
