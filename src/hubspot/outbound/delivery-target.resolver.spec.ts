import type { AgentMessage } from './agent-message';
import {
  CHANNEL_DEACTIVATED,
  CHANNEL_DELETED,
  CONVERSATION_NOT_FOUND,
  DeliveryTargetResolver,
  refusalOf,
} from './delivery-target.resolver';
import { openOutboundTestDb, type OutboundTestDb } from './testing/outbound-test-db';

const agent = (overrides: Partial<AgentMessage> = {}): AgentMessage => ({
  messageId: 'm-1',
  portalId: '77',
  channelId: '5',
  channelAccountId: 'acc-1',
  integrationThreadIds: [],
  text: 'hi',
  files: [],
  otherAttachmentTypes: [],
  ...overrides,
});

describe('DeliveryTargetResolver', () => {
  let db: OutboundTestDb;
  let resolver: DeliveryTargetResolver;

  beforeEach(async () => {
    db = await openOutboundTestDb();
    resolver = new DeliveryTargetResolver(
      db.repos.channelAccounts,
      db.repos.conversations,
      db.repos.messages,
    );
  });
  afterEach(() => db.close());

  it('knows no account without an id or for an unknown HubSpot account', async () => {
    await db.boundAccount('acc-1');
    expect(await resolver.resolve(agent({ channelAccountId: undefined }))).toEqual({
      kind: 'unknown-account',
    });
    expect(await resolver.resolve(agent({ channelAccountId: 'acc-404' }))).toEqual({
      kind: 'unknown-account',
    });
  });

  it('finds the conversation by integration thread id, then by HubSpot thread id', async () => {
    const account = await db.boundAccount('acc-1');
    const byIntegration = await db.conversation(account, 'chat-a', {
      threadId: 't-a',
      integrationId: 'it-a',
    });
    const byThread = await db.conversation(account, 'chat-b', { threadId: 't-b' });
    expect(
      await resolver.resolve(
        agent({ integrationThreadIds: ['unknown', 'it-a'], conversationsThreadId: 't-b' }),
      ),
    ).toMatchObject({
      kind: 'deliver',
      account: { id: account.id },
      conversation: { id: byIntegration.id },
    });
    expect(await resolver.resolve(agent({ conversationsThreadId: 't-b' }))).toMatchObject({
      kind: 'deliver',
      conversation: { id: byThread.id },
    });
  });

  it("never takes another account's conversation", async () => {
    await db.boundAccount('acc-1');
    const other = await db.boundAccount('acc-2');
    await db.conversation(other, 'chat-x', { threadId: 't-x', integrationId: 'it-x' });
    expect(
      await resolver.resolve(
        agent({ integrationThreadIds: ['it-x'], conversationsThreadId: 't-x' }),
      ),
    ).toMatchObject({ kind: 'refused', reason: CONVERSATION_NOT_FOUND });
  });

  it('falls back to the conversation of the message replied to', async () => {
    const account = await db.boundAccount('acc-1');
    const chat = await db.conversation(account, 'chat-r');
    await db.repos.messages.recordInbound({
      accountId: account.id,
      conversationId: chat.id,
      idempotencyKey: 'in-1',
      externalMessageId: 'p-1',
    });
    const inbound = await db.repos.messages.findByIdempotencyKey('in-1');
    await db.repos.messages.markPublished(inbound?.id ?? '', {
      hubspotMessageId: 'hs-in-1',
      hubspotThreadId: 'old-thread',
    });
    expect(
      await resolver.resolve(
        agent({ conversationsThreadId: 'new-thread', inReplyToId: 'hs-in-1' }),
      ),
    ).toMatchObject({ kind: 'deliver', conversation: { id: chat.id } });
  });

  it('finds the conversation of an earlier thread the conversation has moved on from', async () => {
    const account = await db.boundAccount('acc-1');
    const chat = await db.conversation(account, 'chat-s', {
      threadId: 'thread-2',
      integrationId: 'it-2',
    });
    await db.repos.messages.recordInbound({
      accountId: account.id,
      conversationId: chat.id,
      idempotencyKey: 'in-old',
      externalMessageId: 'p-old',
    });
    const inbound = await db.repos.messages.findByIdempotencyKey('in-old');
    await db.repos.messages.markPublished(inbound?.id ?? '', {
      hubspotMessageId: 'hs-old',
      hubspotThreadId: 'thread-1',
    });
    expect(
      await resolver.resolve(
        agent({ integrationThreadIds: ['it-1'], conversationsThreadId: 'thread-1' }),
      ),
    ).toMatchObject({ kind: 'deliver', conversation: { id: chat.id } });
  });

  it('uses the customer address as the conversation only for phone and email channels', async () => {
    const account = await db.boundAccount('acc-1');
    const sms = await db.conversation(account, '+14155550100');
    expect(
      await resolver.resolve(
        agent({ recipient: { type: 'HS_PHONE_NUMBER', value: '+14155550100' } }),
      ),
    ).toMatchObject({ kind: 'deliver', conversation: { id: sms.id } });
    await db.conversation(account, 'user-7');
    expect(
      await resolver.resolve(
        agent({ recipient: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'user-7' } }),
      ),
    ).toMatchObject({ kind: 'refused', reason: CONVERSATION_NOT_FOUND });
  });

  it('refuses for a deactivated or deleted account, keeping the conversation to record the failure', async () => {
    const account = await db.boundAccount('acc-1');
    const chat = await db.conversation(account, 'chat-a', { threadId: 't-a' });
    await db.repos.channelAccounts.setAuthorized(account.id, false);
    expect(await resolver.resolve(agent({ conversationsThreadId: 't-a' }))).toMatchObject({
      kind: 'refused',
      reason: CHANNEL_DEACTIVATED,
      conversation: { id: chat.id },
    });
    await db.repos.channelAccounts.markDeleted(account.id);
    expect(await resolver.resolve(agent({ conversationsThreadId: 't-a' }))).toMatchObject({
      kind: 'refused',
      reason: CHANNEL_DELETED,
      conversation: { id: chat.id },
    });
  });

  it('names why an account cannot send', async () => {
    const account = await db.boundAccount('acc-1');
    expect(refusalOf(account)).toBeUndefined();
    expect(refusalOf({ ...account, authorized: false })).toBe('channel deactivated');
    expect(refusalOf({ ...account, status: 'inactive' })).toBe('channel deactivated');
    expect(refusalOf({ ...account, status: 'inactive', statusReason: 'paused by the admin' })).toBe(
      'channel deactivated: paused by the admin',
    );
    expect(refusalOf({ ...account, status: 'failed', statusReason: 'token revoked' })).toBe(
      'channel account failed: token revoked',
    );
    expect(refusalOf({ ...account, status: 'pending' })).toBe(
      'channel account is not connected yet',
    );
    expect(refusalOf({ ...account, status: 'deleted' })).toBe('channel deleted');
  });
});
