/**
 * Matrix bot mode, customer side, end to end: Matrix homeserver simulator -> gateway (matrix
 * adapter, /sync) -> HubSpot simulator. Every message type of issue 6 item 3, the connection by
 * password (item 1), encrypted rooms (item 5), rate limits on the way in, and a restart mid-sync.
 */
import { readFileSync } from 'node:fs';
import { SINCE_KEY } from '../../plugins/matrix/matrix-sync';
import { ENCRYPTED_NOTICE } from '../../plugins/matrix/matrix-room-info';
import { AccountStateRepository } from '../../src/core/persistence/repositories/account-state.repository';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { ConversationRepository } from '../../src/core/persistence/repositories/conversation.repository';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import {
  accountHealth,
  connectBot,
  customerRoom,
  hubspotMessage,
  incomingMessages,
  published,
  receiving,
  startMatrixHubSpotWorld,
  testBytes,
  type ConnectedMatrixAccount,
  type MatrixHubSpotWorld,
} from '../support/matrix-hubspot-world';
import { eventually } from '../support/test-gateway';

jest.setTimeout(120_000);

describe('Matrix bot mode -> HubSpot: customer messages', () => {
  let world: MatrixHubSpotWorld;
  let bot: ConnectedMatrixAccount;

  const publishedEvent = (eventId: string) => published(world, bot.account.id, eventId);
  const inHubSpot = async (eventId: string): Promise<SimMessage> =>
    hubspotMessage(world, await publishedEvent(eventId));
  const fileOf = (attachment: Record<string, unknown>) => {
    const file = world.sim.state.files.get(String(attachment.fileId));
    if (!file) throw new Error(`HubSpot has no file ${String(attachment.fileId)}`);
    return { ...file, bytes: readFileSync(file.diskPath) };
  };

  beforeAll(async () => {
    world = await startMatrixHubSpotWorld('bot');
    bot = await connectBot(world, 'supportbot', { login: 'password', displayName: 'Acme Support' });
  });

  afterAll(() => world?.close());

  it('connects by user id and password: HubSpot shows the display name, the gateway keeps a token', async () => {
    const hubspotAccount = world.sim.state.channelAccounts.get(bot.hubspotAccountId);
    expect(hubspotAccount).toMatchObject({
      name: 'Acme Support',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bot.botUserId },
    });
    const stored = await world.gateway.app.get(ChannelAccountRepository).findById(bot.account.id);
    expect(stored?.credentials).toEqual({
      homeserverUrl: world.matrix.baseUrl,
      accessToken: expect.any(String),
    });
    // The login made a device of its own; the password is not stored anywhere.
    expect(world.matrix.requests({ path: '/login$', method: 'POST' })).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain('supportbot-secret');
  });

  it('publishes text, notices and emotes with their HTML as rich text, under the sender display name', async () => {
    const { customer, roomId } = await customerRoom(world, bot.botUserId, 'ada', 'Ada Lovelace');
    const text = world.matrix.sendText(roomId, customer, 'Hello **there**', {
      html: 'Hello <strong>there</strong>, see <a href="https://example.com/faq">the FAQ</a><script>alert(1)</script>',
    });
    const notice = world.matrix.sendNotice(roomId, customer, 'automatic notice');
    const emote = world.matrix.sendEmote(roomId, customer, 'waves', { html: 'waves <em>hi</em>' });

    const first = await inHubSpot(text.event.event_id);
    expect(first).toMatchObject({
      direction: 'INCOMING',
      channelAccountId: bot.hubspotAccountId,
      text: 'Hello there, see the FAQ',
      richText: 'Hello <b>there</b>, see <a href="https://example.com/faq">the FAQ</a>',
      senders: [
        {
          name: 'Ada Lovelace',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: customer },
        },
      ],
      recipients: [
        { deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bot.botUserId } },
      ],
    });
    expect(first.richText).not.toContain('script');
    expect(await inHubSpot(notice.event.event_id)).toMatchObject({
      text: 'automatic notice',
      conversationsThreadId: first.conversationsThreadId,
    });
    expect(await inHubSpot(emote.event.event_id)).toMatchObject({
      text: 'waves hi',
      richText: 'waves <i>hi</i>',
      conversationsThreadId: first.conversationsThreadId,
    });
    // One room, one conversation, one help-desk thread with its ticket.
    const thread = world.sim.state.threads.get(first.conversationsThreadId);
    expect(thread?.ticketId).toBeDefined();
    expect(
      await world.gateway.app.get(ConversationRepository).findByExternalId(bot.account.id, roomId),
    ).toMatchObject({ hubspotThreadId: first.conversationsThreadId, isGroup: false });
  });

  it('publishes images, files, audio, video and voice messages with their bytes and usage types, and locations', async () => {
    const { customer, roomId } = await customerRoom(world, bot.botUserId, 'bob', 'Bob');
    const media = [
      { msgtype: 'm.image', name: 'photo.png', mime: 'image/png', size: 2048, usage: 'IMAGE' },
      {
        msgtype: 'm.file',
        name: 'invoice.pdf',
        mime: 'application/pdf',
        size: 3000,
        usage: 'OTHER',
      },
      { msgtype: 'm.audio', name: 'song.mp3', mime: 'audio/mpeg', size: 4096, usage: 'AUDIO' },
      { msgtype: 'm.video', name: 'clip.mp4', mime: 'video/mp4', size: 8192, usage: 'OTHER' },
    ] as const;
    const sent = media.map((item, index) => {
      const bytes = testBytes(index + 1, item.size);
      const upload = world.matrix.uploadMedia(customer, bytes, item.mime, item.name);
      const event = world.matrix.sendMedia(roomId, customer, item.msgtype, {
        url: upload.contentUri,
        body: item.name,
        filename: item.name,
        mimetype: item.mime,
        size: bytes.length,
      });
      return { ...item, bytes, eventId: event.event.event_id };
    });
    const voiceBytes = testBytes(9, 1500);
    const voiceUpload = world.matrix.uploadMedia(customer, voiceBytes, 'audio/ogg', 'voice.ogg');
    const voice = world.matrix.sendVoice(roomId, customer, {
      url: voiceUpload.contentUri,
      body: 'Voice message',
      filename: 'voice.ogg',
      mimetype: 'audio/ogg',
      size: voiceBytes.length,
      duration: 2300,
    });
    const captionBytes = testBytes(11, 900);
    const captionUpload = world.matrix.uploadMedia(customer, captionBytes, 'image/jpeg', 'dog.jpg');
    const captioned = world.matrix.sendMedia(roomId, customer, 'm.image', {
      url: captionUpload.contentUri,
      body: 'my dog, look',
      filename: 'dog.jpg',
      mimetype: 'image/jpeg',
      size: captionBytes.length,
      caption: { html: 'my <b>dog</b>, look' },
    });
    const location = world.matrix.sendLocation(roomId, customer, 'geo:52.52,13.405', 'Our office');

    for (const item of sent) {
      const message = await inHubSpot(item.eventId);
      expect(message.text).toBe(' ');
      expect(message.attachments).toEqual([
        { type: 'FILE', fileId: expect.any(String), fileUsageType: item.usage },
      ]);
      const file = fileOf(message.attachments[0]);
      expect(file).toMatchObject({ contentType: item.mime, size: item.size });
      expect(file.bytes.equals(item.bytes)).toBe(true);
    }
    const voiceMessage = await inHubSpot(voice.event.event_id);
    expect(voiceMessage.attachments).toEqual([
      { type: 'FILE', fileId: expect.any(String), fileUsageType: 'VOICE_RECORDING' },
    ]);
    expect(fileOf(voiceMessage.attachments[0]).bytes.equals(voiceBytes)).toBe(true);
    const captionMessage = await inHubSpot(captioned.event.event_id);
    expect(captionMessage).toMatchObject({ text: 'my dog, look', richText: 'my <b>dog</b>, look' });
    expect(fileOf(captionMessage.attachments[0]).bytes.equals(captionBytes)).toBe(true);
    expect((await inHubSpot(location.event.event_id)).attachments).toEqual([
      {
        type: 'LOCATION',
        latitude: 52.52,
        longitude: 13.405,
        name: 'Our office',
        url: 'geo:52.52,13.405',
      },
    ]);
    // Bytes came through authenticated media (v1.11), never the frozen legacy endpoint.
    const downloads = world.matrix.requests({ path: '/media/' }).filter((r) => r.method === 'GET');
    expect(downloads.length).toBeGreaterThanOrEqual(6);
    for (const request of downloads) {
      expect(request.path).toMatch(/^\/_matrix\/client\/v1\/media\/download\//);
      expect(request.status).toBe(200);
    }
  });

  it('carries replies as inReplyToId and publishes edits as an edit note on the original', async () => {
    const { customer, roomId } = await customerRoom(world, bot.botUserId, 'cleo', 'Cleo');
    const question = world.matrix.sendText(roomId, customer, 'Where is my order?');
    const original = await inHubSpot(question.event.event_id);
    const reply = world.matrix.sendReply(roomId, customer, question.event.event_id, 'order #42', {
      html: 'order <b>#42</b>',
    });
    expect(await inHubSpot(reply.event.event_id)).toMatchObject({
      conversationsThreadId: original.conversationsThreadId,
      inReplyToId: original.id,
      text: 'order #42',
      richText: 'order <b>#42</b>',
    });

    const before = incomingMessages(world, bot.hubspotAccountId).length;
    const edit = world.matrix.sendEdit(
      roomId,
      customer,
      question.event.event_id,
      'Where is order #42?',
    );
    expect(await inHubSpot(edit.event.event_id)).toMatchObject({
      text: expect.stringMatching(/^✏️ Edited: Where is order #42\?\n/),
      inReplyToId: original.id,
      conversationsThreadId: original.conversationsThreadId,
    });
    expect(incomingMessages(world, bot.hubspotAccountId)).toHaveLength(before + 1);
    // The original message in HubSpot is untouched.
    expect(world.sim.state.messages.get(original.id)?.text).toBe('Where is my order?');
  });

  it('names the sender in front of each message of a group room', async () => {
    const { customer: owner, roomId } = await customerRoom(world, bot.botUserId, 'dora', 'Dora');
    const colleague = world.matrix.createUser({ user: 'eli', displayName: 'Eli Colleague' }).userId;
    world.matrix.join(roomId, colleague);
    const fromOwner = world.matrix.sendText(roomId, owner, 'we both need help', {
      html: 'we <b>both</b> need help',
    });
    const fromColleague = world.matrix.sendText(roomId, colleague, 'yes, me too');
    expect(await inHubSpot(fromOwner.event.event_id)).toMatchObject({
      text: 'Dora: we both need help',
      richText: '<b>Dora:</b> we <b>both</b> need help',
      senders: [{ name: 'Dora' }],
    });
    const second = await inHubSpot(fromColleague.event.event_id);
    expect(second).toMatchObject({
      text: 'Eli Colleague: yes, me too',
      senders: [
        {
          name: 'Eli Colleague',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: colleague },
        },
      ],
    });
    expect(
      await world.gateway.app.get(ConversationRepository).findByExternalId(bot.account.id, roomId),
    ).toMatchObject({ isGroup: true });
  });

  it('answers an encrypted room once with a notice, warns on /health, and publishes nothing from it', async () => {
    const customer = world.matrix.createUser({ user: 'finn', displayName: 'Finn' }).userId;
    const { roomId } = world.matrix.createRoom({
      creator: customer,
      isDirect: true,
      invite: [bot.botUserId],
      encrypted: true,
    });
    const notice = await world.matrix.waitForEvent(
      roomId,
      (e) => e.event.sender === bot.botUserId && e.event.type === 'm.room.message',
      15_000,
    );
    expect(notice.event.content).toEqual({ msgtype: 'm.notice', body: ENCRYPTED_NOTICE });
    const before = incomingMessages(world, bot.hubspotAccountId).length;
    const secret = world.matrix.sendEvent(roomId, customer, 'm.room.encrypted', {
      algorithm: 'm.megolm.v1.aes-sha2',
      ciphertext: 'AwgAEnAC...',
      device_id: 'FINNPHONE',
      sender_key: 'c2VuZGVyIGtleQ',
      session_id: 'c2Vzc2lvbg',
    });
    await eventually(
      () =>
        world.gateway
          .logs()
          .find(
            (line) =>
              line.msg === 'matrix: encrypted message not delivered (no E2EE support)' &&
              line.eventId === secret.event.event_id,
          ),
      15_000,
      'the encrypted message to be logged',
    );
    const health = await accountHealth(world, bot.account.id);
    expect(health?.warnings.join(' ')).toContain(roomId);
    // Still one notice, and HubSpot got nothing from the room.
    expect(
      world.matrix
        .events(roomId, { sender: bot.botUserId })
        .filter((e) => e.event.type === 'm.room.message'),
    ).toHaveLength(1);
    expect(incomingMessages(world, bot.hubspotAccountId)).toHaveLength(before);
    expect(
      await world.gateway.app.get(ConversationRepository).findByExternalId(bot.account.id, roomId),
    ).toBeFalsy();
  });

  it('gets every message through rate-limited and failing media downloads and syncs', async () => {
    const { customer, roomId } = await customerRoom(world, bot.botUserId, 'gus', 'Gus');
    world.matrix.addFault({
      kind: 'error',
      operationId: 'sync',
      status: 500,
      errcode: 'M_UNKNOWN',
      count: 2,
    });
    const bytes = testBytes(5, 5000);
    const upload = world.matrix.uploadMedia(customer, bytes, 'application/zip', 'logs.zip');
    world.matrix.addFault({
      kind: 'error',
      path: '^/_matrix/client/v1/media/download/',
      status: 429,
      retryAfterMs: 300,
      count: 2,
    });
    const file = world.matrix.sendMedia(roomId, customer, 'm.file', {
      url: upload.contentUri,
      body: 'logs.zip',
      filename: 'logs.zip',
      mimetype: 'application/zip',
      size: bytes.length,
    });
    const text = world.matrix.sendText(roomId, customer, 'and the logs are attached');
    const message = await inHubSpot(file.event.event_id);
    expect(fileOf(message.attachments[0]).bytes.equals(bytes)).toBe(true);
    expect(await inHubSpot(text.event.event_id)).toMatchObject({
      text: 'and the logs are attached',
    });
    // Both faults were used up: the gateway went through the failures, not around them.
    expect(world.matrix.faults().map((f) => f.hits)).toEqual([2, 2]);
    const throttled = world.matrix
      .requests({ path: '^/_matrix/client/v1/media/download/' })
      .filter((r) => r.status === 429);
    expect(throttled).toHaveLength(2);
  });

  it('a restart mid-sync neither loses nor repeats messages', async () => {
    const { customer, roomId } = await customerRoom(world, bot.botUserId, 'hana', 'Hana');
    const seen = world.matrix.sendText(roomId, customer, 'before the restart');
    await publishedEvent(seen.event.event_id);
    // The position before `seen` was synced: the next start reads that batch again, as after a
    // crash between handing the events over and storing next_batch.
    const rewound = `s${seen.pos - 1}`;
    // Syncs fail from now on, so the running loop stores no position while the test sets one.
    const outage = world.matrix.addFault({
      kind: 'error',
      operationId: 'sync',
      status: 503,
      errcode: 'M_UNKNOWN',
    });
    await eventually(
      () => world.matrix.requests({ path: '/sync$' }).find((r) => r.status === 503),
      15_000,
      'a failed sync',
    );
    await world.gateway.app.get(AccountStateRepository).set(bot.account.id, SINCE_KEY, rewound);

    // Stopped in the middle of its sync loop; the customer goes on writing meanwhile.
    await world.stopGateway();
    world.matrix.removeFault(outage.id ?? '');
    const during = [1, 2, 3].map((n) =>
      world.matrix.sendText(roomId, customer, `while the gateway is down ${n}`),
    );
    await world.startGateway();
    await receiving(world, bot.account.id);
    const after = world.matrix.sendText(roomId, customer, 'after the restart');

    const threadId = (await publishedEvent(seen.event.event_id)).hubspotThreadId;
    for (const event of [...during, after]) {
      expect(await inHubSpot(event.event.event_id)).toMatchObject({
        conversationsThreadId: threadId,
      });
    }
    const texts = incomingMessages(world, bot.hubspotAccountId)
      .filter((m) => m.conversationsThreadId === threadId)
      .map((m) => m.text);
    expect(texts).toEqual([
      'before the restart',
      'while the gateway is down 1',
      'while the gateway is down 2',
      'while the gateway is down 3',
      'after the restart',
    ]);
    // The re-read batch really went through the gateway again and was dropped as a duplicate.
    expect(
      world.gateway
        .logs()
        .filter(
          (line) =>
            line.msg === 'dropped a redelivered platform event' &&
            line.eventId === seen.event.event_id,
        ),
    ).toHaveLength(1);
    const syncs = world.matrix
      .requests({ path: '/sync$' })
      .filter((r) => new URLSearchParams(r.query).get('since') === rewound);
    expect(syncs.length).toBeGreaterThanOrEqual(1);
  });
});
