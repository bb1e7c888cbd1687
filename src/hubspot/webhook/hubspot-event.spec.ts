import { jobIdFor, MalformedWebhookError, parseEvent, parseWebhookBody } from './hubspot-event';

const TS = '1700000000000';
const account = {
  type: 'CHANNEL_ACCOUNT_UPDATED',
  portalId: 123,
  channelId: '9',
  channelAccountId: '77',
};
const outgoing = {
  type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
  portalId: '123',
  channelId: '9',
  channelIntegrationThreadIds: ['chat-1'],
  message: { id: 'm-1', channelAccountId: '77', conversationsThreadId: 't-5', text: 'hi' },
};

describe('HubSpot webhook events', () => {
  it('accepts one object or an array; refuses invalid JSON and empty arrays', () => {
    expect(parseWebhookBody(Buffer.from(JSON.stringify(account)), TS)).toHaveLength(1);
    expect(parseWebhookBody(Buffer.from(JSON.stringify([account, outgoing])), TS)).toHaveLength(2);
    expect(() => parseWebhookBody(Buffer.from('{nope'), TS)).toThrow(MalformedWebhookError);
    expect(() => parseWebhookBody(Buffer.from('[]'), TS)).toThrow(MalformedWebhookError);
  });

  it('reads account events with string ids; dedupes on eventId, else type + account + time', () => {
    expect(parseEvent(account, TS)).toMatchObject({
      kind: 'account',
      type: 'CHANNEL_ACCOUNT_UPDATED',
      portalId: '123',
      channelId: '9',
      channelAccountId: '77',
      dedupeKey: `CHANNEL_ACCOUNT_UPDATED:77:${TS}`,
    });
    expect(parseEvent({ ...account, eventTimestamp: '2026-01-01T00:00:00Z' }, TS)).toMatchObject({
      dedupeKey: 'CHANNEL_ACCOUNT_UPDATED:77:2026-01-01T00:00:00Z',
    });
    expect(parseEvent({ ...account, eventId: 'e-1' }, TS)).toMatchObject({ dedupeKey: 'e-1' });
    expect(parseEvent({ ...account, channelAccountId: undefined }, TS)).toMatchObject({
      kind: 'unknown',
      reason: 'no channelAccountId',
    });
  });

  it('reads agent messages: dedupe on message.id, ordered by conversation thread', () => {
    expect(parseEvent(outgoing, TS)).toMatchObject({
      kind: 'outgoing-message',
      messageId: 'm-1',
      channelAccountId: '77',
      conversationKey: 't-5',
      dedupeKey: 'OUTGOING_CHANNEL_MESSAGE_CREATED:m-1',
    });
    const { conversationsThreadId: _omitted, ...noThread } = outgoing.message;
    expect(parseEvent({ ...outgoing, message: noThread }, TS)).toMatchObject({
      conversationKey: 'chat-1',
    });
    expect(parseEvent({ ...outgoing, message: {} }, TS)).toMatchObject({ kind: 'unknown' });
  });

  it('reports unknown types and shapes instead of failing', () => {
    expect(parseEvent({ ...account, type: 'CONVERSATION_TYPING' }, TS)).toMatchObject({
      kind: 'unknown',
      type: 'CONVERSATION_TYPING',
      reason: 'unknown event type',
    });
    expect(parseEvent('text', TS)).toMatchObject({ kind: 'unknown', reason: 'not an object' });
    expect(parseEvent({ portalId: 1 }, TS)).toMatchObject({ kind: 'unknown', reason: 'no type' });
  });

  it('derives stable job ids, distinct per queue', () => {
    expect(jobIdFor('hubspot-events', 'k')).toBe(jobIdFor('hubspot-events', 'k'));
    expect(jobIdFor('hubspot-events', 'k')).not.toBe(jobIdFor('hubspot-outgoing', 'k'));
    expect(jobIdFor('hubspot-events', 'k')).not.toBe(jobIdFor('hubspot-events', 'l'));
  });
});
