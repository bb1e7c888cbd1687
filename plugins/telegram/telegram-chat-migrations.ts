/**
 * Groups upgraded to supergroups get a new chat id; Telegram answers sends to the old one with
 * `migrate_to_chat_id`. The mapping is kept in the account state.
 */
import type { AccountStateStore } from '../../src/core/adapter';

const STATE_KEY = 'chatMigrations';

export async function currentChatId(state: AccountStateStore, chatId: number): Promise<number> {
  const migrations = (await state.get<Record<string, number>>(STATE_KEY)) ?? {};
  let current = chatId;
  for (let hops = 0; hops < 5 && migrations[String(current)] !== undefined; hops++) {
    current = migrations[String(current)];
  }
  return current;
}

export async function rememberMigration(
  state: AccountStateStore,
  from: number,
  to: number,
): Promise<void> {
  await state.update<Record<string, number>>(STATE_KEY, (migrations = {}) => ({
    ...migrations,
    [String(from)]: to,
  }));
}
