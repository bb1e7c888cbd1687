/**
 * A group upgraded to a supergroup: its conversation goes on under the group's chat id (one
 * HubSpot thread), whichever way the adapter learns of the upgrade, while sends go to the
 * supergroup.
 */
import type { Message } from 'grammy/types';
import type { InboundMessageEvent, OutboundMessage } from '../../../src/core/adapter';
import { InMemoryStateStore, type WebhookRelay } from '../../../test/conformance';
import type { TelegramSimulator } from '../../../test/simulators/telegram';
import {
  currentChatId,
  inOriginalConversation,
  migrationOf,
  originalChatId,
  rememberMigration,
} from '../telegram-chat-migrations';
import type { TelegramAdapter } from '../telegram.adapter';
import { createBotAccount, startWebhookSetup, stopWebhookSetup } from './telegram-test-setup';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const GROUP = -4001;
const SUPERGROUP = -1004001;

const messageEvent = (chatId: number, isGroup: boolean): InboundMessageEvent => ({
  type: 'message',
  eventId: 'telegram:1:1',
  externalMessageId: `${chatId}:5`,
  conversation: { externalId: String(chatId), isGroup, title: 'Team' },
  sender: { id: '42' },
  text: 'hi',
  attachments: [],
  timestamp: new Date(0).toISOString(),
});

describe('chat migrations in the account state', () => {
  it('follows a migration forwards for sends and backwards for the conversation', async () => {
    const state = new InMemoryStateStore();
    await rememberMigration(state, GROUP, SUPERGROUP);
    expect(await currentChatId(state, GROUP)).toBe(SUPERGROUP);
    expect(await currentChatId(state, SUPERGROUP)).toBe(SUPERGROUP);
    expect(await originalChatId(state, SUPERGROUP)).toBe(GROUP);
    expect(await originalChatId(state, GROUP)).toBe(GROUP);
    expect(await originalChatId(state, -5)).toBe(-5);
  });

  it('reads a migration from either service message and records it once', async () => {
    const chat = (id: number) => ({ id, type: 'group' as const, title: 'Team' });
    const inGroup = { chat: chat(GROUP), migrate_to_chat_id: SUPERGROUP } as Message;
    const inSupergroup = { chat: chat(SUPERGROUP), migrate_from_chat_id: GROUP } as Message;
    const plain = { chat: chat(GROUP), text: 'hello' } as Message;
    expect(migrationOf(inGroup)).toEqual({ from: GROUP, to: SUPERGROUP });
    expect(migrationOf(inSupergroup)).toEqual({ from: GROUP, to: SUPERGROUP });
    expect(migrationOf(plain)).toBeUndefined();

    const state = new InMemoryStateStore();
    await rememberMigration(state, GROUP, SUPERGROUP);
    await rememberMigration(state, GROUP, SUPERGROUP);
    await rememberMigration(state, -7, -7);
    expect(state.snapshot()).toEqual({ chatMigrations: { [GROUP]: SUPERGROUP } });
  });

  it('moves only a migrated supergroup into the original conversation', async () => {
    const state = new InMemoryStateStore();
    await rememberMigration(state, GROUP, SUPERGROUP);
    const moved = await inOriginalConversation(state, messageEvent(SUPERGROUP, true));
    expect(moved.conversation).toEqual({ externalId: String(GROUP), isGroup: true, title: 'Team' });
    expect(moved.externalMessageId).toBe(`${SUPERGROUP}:5`);

    const other = messageEvent(-1009999, true);
    expect(await inOriginalConversation(state, other)).toBe(other);
    const privateChat = messageEvent(77, false);
    expect(await inOriginalConversation(state, privateChat)).toBe(privateChat);
  });
});

describe('TelegramAdapter: a group upgraded to a supergroup', () => {
  let sim: TelegramSimulator;
  let relay: WebhookRelay;
  let adapter: TelegramAdapter;

  const outbound = (chatId: number, content: Partial<OutboundMessage>): OutboundMessage => ({
    idempotencyKey: `key-${Math.random()}`,
    conversation: { externalId: String(chatId) },
    text: '',
    attachments: [],
    ...content,
  });

  /** A bot receiving by webhook, a group with a customer in it, and their first message. */
  async function groupConversation(title: string) {
    const account = await createBotAccount(sim, { relay });
    await adapter.startReceiving(account.context);
    const group = await sim.createChat({ type: 'group', title });
    const first = await sim.injectMessage(account.token, {
      chat_id: group.id,
      from_id: account.userId,
      text: 'hello from the group',
    });
    const event = await account.context.waitForEvent();
    expect(event).toMatchObject({ conversation: { externalId: String(group.id) } });
    return { ...account, group, firstMessageId: first.message.message_id };
  }

  const nextMessage = async (
    context: Awaited<ReturnType<typeof groupConversation>>['context'],
    since: number,
  ) => (await context.waitForEvent(() => true, { since })) as InboundMessageEvent;

  beforeAll(async () => {
    ({ sim, adapter, relay } = await startWebhookSetup());
  });
  afterAll(() => stopWebhookSetup({ sim, adapter, relay }));

  it('keeps the supergroup messages in the group conversation once the service messages came', async () => {
    const { token, userId, context, group } = await groupConversation('Team');
    const since = context.emitted.length;
    const { chat: supergroup } = await sim.migrateChat(group.id, {
      tokens: [token],
      from_id: userId,
    });
    // Both service messages are delivered right away; neither becomes a message.
    const written = await sim.injectMessage(token, {
      chat_id: supergroup.id,
      from_id: userId,
      text: 'now in the supergroup',
    });
    const event = await nextMessage(context, since);
    expect(event).toMatchObject({
      text: 'now in the supergroup',
      externalMessageId: `${supergroup.id}:${written.message.message_id}`,
      conversation: { externalId: String(group.id), isGroup: true, title: 'Team' },
    });
    expect(context.emitted).toHaveLength(since + 1);
    expect(await context.state.get('chatMigrations')).toEqual({ [group.id]: supergroup.id });

    await sim.injectEdit(token, {
      chat_id: supergroup.id,
      message_id: written.message.message_id,
      text: 'now in the supergroup, edited',
    });
    const edit = await nextMessage(context, since + 1);
    expect(edit).toMatchObject({
      editOf: { externalMessageId: `${supergroup.id}:${written.message.message_id}` },
      conversation: { externalId: String(group.id) },
    });
    await adapter.stopReceiving(context.accountId);
  });

  it("learns it from the supergroup's own service message alone", async () => {
    const { token, userId, context, group } = await groupConversation('Alone');
    const supergroup = await sim.createChat({ type: 'supergroup', title: 'Alone' });
    const since = context.emitted.length;
    await sim.injectMessage(token, {
      chat_id: supergroup.id,
      from_id: userId,
      extra: { migrate_from_chat_id: group.id },
    });
    await sim.injectMessage(token, { chat_id: supergroup.id, from_id: userId, text: 'still me' });
    expect(await nextMessage(context, since)).toMatchObject({
      text: 'still me',
      conversation: { externalId: String(group.id) },
    });
    expect(context.emitted).toHaveLength(since + 1);
    await adapter.stopReceiving(context.accountId);
  });

  it('learns it from a refused send and maps the supergroup messages from then on', async () => {
    const { token, userId, context, group } = await groupConversation('Quiet');
    // The bot hears nothing of the upgrade: only the send to the old id tells.
    const { chat: supergroup } = await sim.migrateChat(group.id, { tokens: [] });
    const sent = await adapter.send(context, outbound(group.id, { text: 'welcome' }));
    expect(sent.externalMessageIds[0]).toMatch(new RegExp(`^${supergroup.id}:\\d+$`));

    const since = context.emitted.length;
    await sim.injectMessage(token, { chat_id: supergroup.id, from_id: userId, text: 'thanks' });
    expect(await nextMessage(context, since)).toMatchObject({
      text: 'thanks',
      conversation: { externalId: String(group.id) },
    });
    await adapter.stopReceiving(context.accountId);
  });

  it("puts an album of the supergroup into the group's conversation", async () => {
    const { token, userId, context, group } = await groupConversation('Album');
    const { chat: supergroup } = await sim.migrateChat(group.id, {
      tokens: [token],
      from_id: userId,
    });
    const since = context.emitted.length;
    await sim.injectMediaGroup(token, {
      chat_id: supergroup.id,
      from_id: userId,
      items: [
        { type: 'photo', media: { data: PNG, mime_type: 'image/png' }, caption: 'two pics' },
        { type: 'photo', media: { data: PNG, mime_type: 'image/png' } },
      ],
    });
    expect(await nextMessage(context, since)).toMatchObject({
      text: 'two pics',
      attachments: [{ kind: 'image' }, { kind: 'image' }],
      conversation: { externalId: String(group.id), isGroup: true },
    });
    await adapter.stopReceiving(context.accountId);
  });

  it("does not quote a message of the group in the supergroup, where its number is another's", async () => {
    const { token, userId, context, group, firstMessageId } = await groupConversation('Quotes');
    const { chat: supergroup } = await sim.migrateChat(group.id, {
      tokens: [token],
      from_id: userId,
    });
    const since = context.emitted.length;
    const later = await sim.injectMessage(token, {
      chat_id: supergroup.id,
      from_id: userId,
      text: 'a question',
    });
    await nextMessage(context, since);

    await adapter.send(
      context,
      outbound(group.id, {
        text: 'about before',
        inReplyToExternalId: `${group.id}:${firstMessageId}`,
      }),
    );
    await adapter.send(
      context,
      outbound(group.id, {
        text: 'about the question',
        inReplyToExternalId: `${supergroup.id}:${later.message.message_id}`,
      }),
    );
    const sent = await sim.sentMessages(token, supergroup.id);
    expect(sent.map((record) => record.messages[0].text)).toEqual([
      'about before',
      'about the question',
    ]);
    expect(sent[0].messages[0].reply_to_message).toBeUndefined();
    expect(sent[1].messages[0].reply_to_message).toMatchObject({
      message_id: later.message.message_id,
    });
    expect(await sim.sentMessages(token, group.id)).toEqual([]);
    await adapter.stopReceiving(context.accountId);
  });
});
