/**
 * Matrix bot mode, agent side, end to end: an agent replies in HubSpot (simulator) -> webhook ->
 * gateway -> matrix adapter -> Matrix homeserver simulator, and the status comes back to HubSpot.
 * Issue 6 items 4 (rich text, attachments, replies, read receipts), 5 (encrypted rooms) and 6
 * (M_LIMIT_EXCEEDED, M_FORBIDDEN, unknown rooms).
 */
import type { InboundMessageEvent } from '../../src/core/adapter';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { InboundEventSink } from '../../src/core/plugins/account-context.factory';
import { AccountDirectory } from '../../src/core/plugins/account-directory';
import type { RecordedEvent } from '../simulators/matrix';
import {
  agentReplies,
  connectBot,
  customerRoom,
  published,
  startMatrixHubSpotWorld,
  statusIs,
  testBytes,
  uploadToHubSpot,
  type ConnectedMatrixAccount,
  type MatrixHubSpotWorld,
} from '../support/matrix-hubspot-world';
import { eventually } from '../support/test-gateway';

jest.setTimeout(120_000);

describe('HubSpot -> Matrix bot mode: agent replies and their status', () => {
  let world: MatrixHubSpotWorld;
  let bot: ConnectedMatrixAccount;

  /** A customer opens a room and writes; resolves the HubSpot thread and their message. */
  const customerOpens = async (localpart: string) => {
    const { customer, roomId } = await customerRoom(world, bot.botUserId, localpart, localpart);
    const sent = world.matrix.sendText(roomId, customer, `hello from ${localpart}`);
    const stored = await published(world, bot.account.id, sent.event.event_id);
    return {
      customer,
      roomId,
      threadId: stored.hubspotThreadId ?? '',
      customerHubSpotId: stored.hubspotMessageId ?? '',
      customerEventId: sent.event.event_id,
    };
  };

  /** The m.room.message events the bot sent to a room, in order. */
  const botMessages = (roomId: string): RecordedEvent[] =>
    world.matrix
      .events(roomId, { sender: bot.botUserId })
      .filter((e) => e.event.type === 'm.room.message');

  const externalIds = async (hubspotId: string): Promise<string[]> =>
    (await world.gateway.app.get(MessageRepository).findByHubSpotId(hubspotId))
      ?.externalMessageIds ?? [];

  beforeAll(async () => {
    world = await startMatrixHubSpotWorld('bot');
    bot = await connectBot(world, 'replybot');
  });

  afterAll(() => world?.close());

  it('sends rich text as body + sanitised formatted_body, in order through M_LIMIT_EXCEEDED, and reports SENT', async () => {
    const { roomId, threadId } = await customerOpens('ada');
    // The first send is throttled for 1 s: the later replies wait behind it in the room's lane.
    world.matrix.addFault({
      kind: 'error',
      operationId: 'sendMessage',
      status: 429,
      retryAfterMs: 1000,
      count: 1,
    });
    const first = await agentReplies(world, threadId, {
      text: 'Hello Ada, see the docs',
      richText:
        '<p>Hello <strong>Ada</strong>, see <a href="https://example.com/docs" onclick="x()">the docs</a></p><ul><li>one</li><li>two</li></ul>',
    });
    const second = await agentReplies(world, threadId, { text: 'second' });
    const third = await agentReplies(world, threadId, { text: 'third' });
    for (const id of [first, second, third]) await statusIs(world, id, 'SENT');

    const sent = botMessages(roomId);
    expect(sent.map((e) => e.event.content.body)).toEqual([
      expect.stringContaining('Hello Ada, see the docs'),
      'second',
      'third',
    ]);
    expect(sent[0].event.content).toMatchObject({
      msgtype: 'm.text',
      format: 'org.matrix.custom.html',
      formatted_body: expect.stringContaining(
        'Hello <strong>Ada</strong>, see <a href="https://example.com/docs">the docs</a>',
      ),
    });
    // The gateway's rich-text subset has no lists: HubSpot's list items arrive as bullet lines.
    expect(sent[0].event.content.formatted_body).toContain('• one<br>• two');
    expect(sent[0].event.content.formatted_body).not.toContain('onclick');
    expect(sent[1].event.content).toEqual({ msgtype: 'm.text', body: 'second' });

    // Throttled once, honoured retry_after_ms, sent once: HubSpot saw SENT and nothing else.
    const sends = world.matrix
      .requests({ path: `/rooms/${roomId}/send/` })
      .filter((r) => r.method === 'PUT');
    expect(sends.map((r) => r.status)).toEqual([429, 200, 200, 200]);
    expect(sends[1].at - sends[0].at).toBeGreaterThanOrEqual(900);
    expect(
      world.sim.state.messages.get(first)?.statusHistory.map((h) => h.status.statusType),
    ).toEqual(['SENT']);
    expect(
      world.gateway
        .logs()
        .filter((line) => line.msg === 'agent message not sent yet; will retry')
        .map((line) => line.hubspotMessage),
    ).toEqual([first]);
    for (const [index, id] of [first, second, third].entries()) {
      expect(await externalIds(id)).toEqual([sent[index].event.event_id]);
    }
  });

  it('uploads attachments to the media repository and sends them with msgtype and info', async () => {
    const { roomId, threadId } = await customerOpens('bob');
    const files = [
      { name: 'diagram.png', mime: 'image/png', bytes: testBytes(1, 3000), msgtype: 'm.image' },
      { name: 'terms.pdf', mime: 'application/pdf', bytes: testBytes(2, 5000), msgtype: 'm.file' },
      { name: 'jingle.mp3', mime: 'audio/mpeg', bytes: testBytes(3, 4000), msgtype: 'm.audio' },
      { name: 'howto.mp4', mime: 'video/mp4', bytes: testBytes(4, 9000), msgtype: 'm.video' },
    ];
    const uploaded = await Promise.all(
      files.map((file) => uploadToHubSpot(world, file.name, file.mime, file.bytes)),
    );
    // The media repository fails once: the reply is retried whole, without duplicate events.
    world.matrix.addFault({ kind: 'error', operationId: 'uploadContent', status: 502, count: 1 });
    const id = await agentReplies(world, threadId, {
      text: 'Here are the files',
      fileIds: uploaded.map((file) => file.id),
    });
    await statusIs(world, id, 'SENT');

    const sent = botMessages(roomId);
    expect(sent.map((e) => e.event.content.msgtype)).toEqual([
      'm.text',
      ...files.map((f) => f.msgtype),
    ]);
    expect(sent[0].event.content.body).toBe('Here are the files');
    files.forEach((file, index) => {
      const content = sent[index + 1].event.content;
      expect(content).toMatchObject({
        body: file.name,
        filename: file.name,
        url: expect.stringMatching(/^mxc:\/\/localhost\//),
        info: { mimetype: file.mime, size: file.bytes.length },
      });
      const media = world.matrix.mediaByUri(String(content.url));
      expect(media).toMatchObject({ uploader: bot.botUserId, contentType: file.mime });
      expect(media?.bytes?.equals(file.bytes)).toBe(true);
    });
    expect(await externalIds(id)).toEqual(sent.map((e) => e.event.event_id));
    expect(
      world.matrix.requests({ path: '^/_matrix/media/v3/upload$' }).map((r) => r.status)[0],
    ).toBe(502);
    expect(world.sim.state.messages.get(id)?.statusHistory.map((h) => h.status.statusType)).toEqual(
      ['SENT'],
    );
  });

  it('replies with a reply relation to the message the agent replied to', async () => {
    const { roomId, threadId, customerHubSpotId, customerEventId } = await customerOpens('cleo');
    const id = await agentReplies(world, threadId, {
      text: 'About that question',
      inReplyToId: customerHubSpotId,
    });
    await statusIs(world, id, 'SENT');
    const [reply] = botMessages(roomId);
    expect(reply.event.content).toMatchObject({
      body: 'About that question',
      'm.relates_to': { 'm.in_reply_to': { event_id: customerEventId } },
    });
  });

  it('splits a reply longer than an event can hold into ordered parts', async () => {
    const { roomId, threadId } = await customerOpens('dan');
    const paragraph = (n: number) => `Paragraph ${n}: ${'lorem ipsum dolor sit amet '.repeat(40)}`;
    const text = Array.from({ length: 40 }, (_, i) => paragraph(i + 1)).join('\n');
    expect(text.length).toBeGreaterThan(40_000);
    const id = await agentReplies(world, threadId, { text });
    await statusIs(world, id, 'SENT');
    const parts = botMessages(roomId).map((e) => String(e.event.content.body));
    expect(parts.length).toBe(3);
    for (const part of parts) expect(Array.from(part).length).toBeLessThanOrEqual(16_000);
    // Cut at line breaks: nothing lost, nothing reordered.
    const words = (value: string) => value.trim().split(/\s+/);
    expect(words(parts.join('\n'))).toEqual(words(text));
    expect(parts[1].startsWith('Paragraph ')).toBe(true);
    expect(await externalIds(id)).toHaveLength(3);
  });

  it("turns the customer's read receipt into READ for every reply up to it", async () => {
    const { customer, roomId, threadId } = await customerOpens('eve');
    const first = await agentReplies(world, threadId, { text: 'one' });
    await statusIs(world, first, 'SENT');
    const second = await agentReplies(world, threadId, { text: 'two' });
    await statusIs(world, second, 'SENT');
    const sent = botMessages(roomId);
    world.matrix.sendReceipt(roomId, customer, sent[1].event.event_id);
    await statusIs(world, first, 'READ');
    await statusIs(world, second, 'READ');
    expect((await world.gateway.app.get(MessageRepository).findByHubSpotId(second))?.status).toBe(
      'READ',
    );
  });

  it('a bot kicked or banned from the room ends FAILED with the homeserver reason', async () => {
    const kicked = await customerOpens('finn');
    world.matrix.kick(kicked.roomId, kicked.customer, bot.botUserId, 'no bots here');
    const toKicked = await agentReplies(world, kicked.threadId, { text: 'still there?' });
    const failedKicked = await statusIs(world, toKicked, 'FAILED');
    expect(failedKicked.status?.failureDetails?.errorMessage).toBe(
      `sending to ${kicked.roomId}: User ${bot.botUserId} is no longer in room ${kicked.roomId}`,
    );

    const banned = await customerOpens('gina');
    world.matrix.ban(banned.roomId, banned.customer, bot.botUserId, 'go away');
    const toBanned = await agentReplies(world, banned.threadId, { text: 'hello?' });
    const failedBanned = await statusIs(world, toBanned, 'FAILED');
    expect(failedBanned.status?.failureDetails?.errorMessage).toBe(
      `sending to ${banned.roomId}: User ${bot.botUserId} is banned from room ${banned.roomId}`,
    );
    expect(botMessages(kicked.roomId)).toEqual([]);
    expect(botMessages(banned.roomId)).toEqual([]);
    // Permanent: tried once each, no retries.
    expect(
      world.matrix
        .requests({ path: '/send/m.room.message/' })
        .filter((r) => r.status === 403 && r.userId === bot.botUserId),
    ).toHaveLength(2);
  });

  it('a room the homeserver does not know ends FAILED with its reason', async () => {
    // A conversation whose room is gone from the homeserver (e.g. purged by its admin).
    const roomId = '!purged:localhost';
    const receivingAccount = await world.gateway.app
      .get(AccountDirectory)
      .findReceivingAccount(bot.account.id);
    if (!receivingAccount) throw new Error('the account is not receiving');
    const event: InboundMessageEvent = {
      type: 'message',
      eventId: '$purged-room-message',
      externalMessageId: '$purged-room-message',
      conversation: { externalId: roomId },
      sender: { id: '@hal:localhost', displayName: 'Hal' },
      text: 'my room is about to vanish',
      attachments: [],
      timestamp: new Date().toISOString(),
    };
    await world.gateway.app.get(InboundEventSink).accept(receivingAccount, event);
    const stored = await published(world, bot.account.id, event.externalMessageId);
    const id = await agentReplies(world, stored.hubspotThreadId ?? '', { text: 'hello Hal' });
    const failed = await statusIs(world, id, 'FAILED');
    expect(failed.status?.failureDetails?.errorMessage).toMatch(
      new RegExp(`^sending to ${roomId}: .*${roomId}`),
    );
    const answer = world.matrix.requests({ path: `/rooms/${roomId}/send/` }).map((r) => r.status);
    expect(answer).toEqual([404]);
  });

  it('a room that turned encrypted gets FAILED replies saying so, after one notice to the customer', async () => {
    const { customer, roomId, threadId } = await customerOpens('ivy');
    world.matrix.enableEncryption(roomId, customer);
    await eventually(
      () =>
        botMessages(roomId).some((e) => e.event.content.msgtype === 'm.notice') ? true : undefined,
      15_000,
      'the encrypted-room notice',
    );
    const id = await agentReplies(world, threadId, { text: 'can you read this?' });
    const failed = await statusIs(world, id, 'FAILED');
    expect(failed.status?.failureDetails?.errorMessage).toBe(
      'This Matrix room is end-to-end encrypted; the gateway cannot send to encrypted rooms yet',
    );
    expect(botMessages(roomId).map((e) => e.event.content.msgtype)).toEqual(['m.notice']);
  });
});
