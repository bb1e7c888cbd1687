/**
 * Matrix application-service mode end to end: the homeserver simulator pushes transactions to the
 * gateway (through a stable proxy, as a load balancer would be), customer messages reach HubSpot
 * (simulator) and agents' replies go back as the appservice bot user. Issue 6 item 2 and items
 * 3-6 in this mode, a redelivered transaction and a gateway restart with transactions waiting.
 */
import { readFileSync } from 'node:fs';
import { appserviceUrl } from '../../plugins/matrix/matrix-registration';
import { ENCRYPTED_NOTICE } from '../../plugins/matrix/matrix-room-info';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { ConversationRepository } from '../../src/core/persistence/repositories/conversation.repository';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import type { RecordedEvent, TransactionRecord } from '../simulators/matrix';
import {
  accountHealth,
  agentReplies,
  APPSERVICE_BOT,
  connectAppservice,
  customerRoom,
  hubspotMessage,
  incomingMessages,
  published,
  receiving,
  startMatrixHubSpotWorld,
  statusIs,
  testBytes,
  uploadToHubSpot,
  type ConnectedMatrixAccount,
  type MatrixHubSpotWorld,
} from '../support/matrix-hubspot-world';
import { eventually } from '../support/test-gateway';

jest.setTimeout(120_000);

describe('Matrix appservice mode <-> HubSpot', () => {
  let world: MatrixHubSpotWorld;
  let bot: ConnectedMatrixAccount;

  const inHubSpot = async (eventId: string): Promise<SimMessage> =>
    hubspotMessage(world, await published(world, bot.account.id, eventId));
  const hsToken = () => bot.registration?.hs_token ?? '';
  const transactionsWith = (text: string): TransactionRecord[] =>
    world.matrix
      .transactions('hubspot-gateway')
      .filter((t) => JSON.stringify(t.body).includes(text));

  /** What a homeserver does when it resends a transaction (or sends events under a new txnId). */
  const putTransaction = (txnId: string, body: unknown, token = hsToken()) =>
    fetch(
      `${appserviceUrl(world.publicUrl, bot.account.id)}/_matrix/app/v1/transactions/${txnId}`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );

  const botMessages = (roomId: string): RecordedEvent[] =>
    world.matrix
      .events(roomId, { sender: APPSERVICE_BOT })
      .filter((e) => e.event.type === 'm.room.message');

  beforeAll(async () => {
    world = await startMatrixHubSpotWorld('appservice');
    bot = await connectAppservice(world);
  });

  afterAll(() => world?.close());

  it('connects with the registration tokens and joins the rooms it is invited to through pushed transactions', async () => {
    expect(world.sim.state.channelAccounts.get(bot.hubspotAccountId)).toMatchObject({
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: APPSERVICE_BOT },
    });
    const stored = await world.gateway.app.get(ChannelAccountRepository).findById(bot.account.id);
    expect(stored?.credentials).toMatchObject({
      accessToken: bot.registration?.as_token,
      hsToken: hsToken(),
    });
    const { roomId } = await customerRoom(world, APPSERVICE_BOT, 'ada', 'Ada');
    // The join went through the client-server API as the appservice (no /sync in this mode).
    expect(world.matrix.events(roomId, { sender: APPSERVICE_BOT })[0]).toMatchObject({
      source: 'appservice',
      event: { type: 'm.room.member', content: { membership: 'join' } },
    });
    expect(world.matrix.requests({ path: '/sync$' })).toEqual([]);
  });

  it('publishes every message type from pushed transactions', async () => {
    const { customer, roomId } = await customerRoom(world, APPSERVICE_BOT, 'bob', 'Bob Builder');
    const text = world.matrix.sendText(roomId, customer, 'Hello there', {
      html: 'Hello <em>there</em>',
    });
    const imageBytes = testBytes(1, 2500);
    const image = world.matrix.sendMedia(roomId, customer, 'm.image', {
      url: world.matrix.uploadMedia(customer, imageBytes, 'image/png', 'shot.png').contentUri,
      body: 'shot.png',
      filename: 'shot.png',
      mimetype: 'image/png',
      size: imageBytes.length,
    });
    const voiceBytes = testBytes(2, 1200);
    const voice = world.matrix.sendVoice(roomId, customer, {
      url: world.matrix.uploadMedia(customer, voiceBytes, 'audio/ogg', 'voice.ogg').contentUri,
      body: 'Voice message',
      filename: 'voice.ogg',
      mimetype: 'audio/ogg',
      size: voiceBytes.length,
    });
    const location = world.matrix.sendLocation(roomId, customer, 'geo:48.85,2.35', 'Paris');
    const reply = world.matrix.sendReply(roomId, customer, text.event.event_id, 'as I said');
    const edit = world.matrix.sendEdit(roomId, customer, text.event.event_id, 'Hello again');

    const first = await inHubSpot(text.event.event_id);
    expect(first).toMatchObject({
      text: 'Hello there',
      richText: 'Hello <i>there</i>',
      senders: [
        {
          name: 'Bob Builder',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: customer },
        },
      ],
    });
    const imageMessage = await inHubSpot(image.event.event_id);
    expect(imageMessage.attachments).toEqual([
      { type: 'FILE', fileId: expect.any(String), fileUsageType: 'IMAGE' },
    ]);
    const voiceMessage = await inHubSpot(voice.event.event_id);
    expect(voiceMessage.attachments).toEqual([
      { type: 'FILE', fileId: expect.any(String), fileUsageType: 'VOICE_RECORDING' },
    ]);
    for (const [message, bytes] of [
      [imageMessage, imageBytes],
      [voiceMessage, voiceBytes],
    ] as const) {
      const file = world.sim.state.files.get(String(message.attachments[0].fileId));
      expect(readFileSync(file?.diskPath ?? '').equals(bytes)).toBe(true);
    }
    expect((await inHubSpot(location.event.event_id)).attachments).toEqual([
      expect.objectContaining({
        type: 'LOCATION',
        latitude: 48.85,
        longitude: 2.35,
        name: 'Paris',
      }),
    ]);
    expect(await inHubSpot(reply.event.event_id)).toMatchObject({
      text: 'as I said',
      inReplyToId: first.id,
    });
    expect(await inHubSpot(edit.event.event_id)).toMatchObject({
      text: expect.stringMatching(/^✏️ Edited: Hello again\n/),
      inReplyToId: first.id,
    });

    // A second customer in the room: from now on agents see who wrote what.
    const friend = world.matrix.createUser({ user: 'cleo', displayName: 'Cleo' }).userId;
    world.matrix.join(roomId, friend);
    const group = world.matrix.sendText(roomId, friend, 'I am here too');
    expect((await inHubSpot(group.event.event_id)).text).toBe('Cleo: I am here too');
  });

  it('a redelivered transaction creates nothing new in HubSpot', async () => {
    const { customer, roomId } = await customerRoom(world, APPSERVICE_BOT, 'dora', 'Dora');
    const sent = world.matrix.sendText(roomId, customer, 'exactly once please');
    await inHubSpot(sent.event.event_id);
    await world.matrix.waitForTransactions(10_000);
    const [txn] = transactionsWith('exactly once please');
    expect(txn.delivered).toBe(true);
    const before = incomingMessages(world, bot.hubspotAccountId).length;

    // The homeserver did not see the answer and resends the identical transaction...
    expect((await putTransaction(txn.txnId, txn.body)).status).toBe(200);
    // ...or the event comes again inside another transaction (a homeserver restart).
    expect((await putTransaction(`${txn.txnId}-again`, txn.body)).status).toBe(200);
    // The first was acknowledged by the adapter without emitting; the second reached the gateway,
    // which dropped the event it had already published.
    const dropped = () =>
      world.gateway
        .logs()
        .filter(
          (line) =>
            line.msg === 'dropped a redelivered platform event' &&
            line.eventId === sent.event.event_id,
        );
    await eventually(() => (dropped().length ? true : undefined), 10_000, 'the event dropped');
    expect(dropped()).toHaveLength(1);
    expect(incomingMessages(world, bot.hubspotAccountId)).toHaveLength(before);
    expect(
      incomingMessages(world, bot.hubspotAccountId).filter((m) => m.text === 'exactly once please'),
    ).toHaveLength(1);
  });

  it('rejects a transaction with a wrong hs_token and stores nothing', async () => {
    const { customer, roomId } = await customerRoom(world, APPSERVICE_BOT, 'eli', 'Eli');
    const before = incomingMessages(world, bot.hubspotAccountId).length;
    const forged = {
      events: [
        {
          type: 'm.room.message',
          room_id: roomId,
          sender: customer,
          event_id: '$forged-event',
          origin_server_ts: Date.now(),
          content: { msgtype: 'm.text', body: 'forged' },
        },
      ],
    };
    const answer = await putTransaction('forged-1', forged, 'not-the-hs-token');
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ errcode: 'M_FORBIDDEN' });
    await new Promise((done) => setTimeout(done, 300));
    expect(incomingMessages(world, bot.hubspotAccountId)).toHaveLength(before);
    expect(
      await world.gateway.app.get(ConversationRepository).findByExternalId(bot.account.id, roomId),
    ).toBeFalsy();
  });

  it('keeps what the homeserver pushed while the gateway was down and publishes it once after the restart', async () => {
    const { customer, roomId } = await customerRoom(world, APPSERVICE_BOT, 'finn', 'Finn');
    const before = world.matrix.sendText(roomId, customer, 'before the restart');
    const threadId = (await inHubSpot(before.event.event_id)).conversationsThreadId;
    await world.matrix.waitForTransactions(10_000);
    const delivered = world.matrix.transactions('hubspot-gateway').filter((t) => t.delivered);

    await world.stopGateway();
    const during = [1, 2].map((n) =>
      world.matrix.sendText(roomId, customer, `while the gateway is down ${n}`),
    );
    // The homeserver keeps retrying the same transaction (the proxy answers 502 meanwhile).
    await eventually(
      () => {
        const pending = transactionsWith('while the gateway is down 1').find((t) => !t.delivered);
        return pending && pending.attempts.length >= 2 ? pending : undefined;
      },
      10_000,
      'the homeserver to retry',
    );
    await world.startGateway();
    await receiving(world, bot.account.id);
    const after = world.matrix.sendText(roomId, customer, 'after the restart');
    for (const event of [...during, after]) {
      expect(await inHubSpot(event.event.event_id)).toMatchObject({
        conversationsThreadId: threadId,
      });
    }
    // Transactions from before the restart are still known as processed.
    for (const txn of delivered.slice(-3)) {
      expect((await putTransaction(txn.txnId, txn.body)).status).toBe(200);
    }
    await world.matrix.waitForTransactions(10_000);
    await new Promise((done) => setTimeout(done, 300));
    expect(
      incomingMessages(world, bot.hubspotAccountId)
        .filter((m) => m.conversationsThreadId === threadId)
        .map((m) => m.text),
    ).toEqual([
      'before the restart',
      'while the gateway is down 1',
      'while the gateway is down 2',
      'after the restart',
    ]);
  });

  it('sends agent replies as the bot user: rich text, attachments, reply relation, through M_LIMIT_EXCEEDED', async () => {
    const { customer, roomId } = await customerRoom(world, APPSERVICE_BOT, 'gina', 'Gina');
    const question = world.matrix.sendText(roomId, customer, 'can you send the manual?');
    const stored = await published(world, bot.account.id, question.event.event_id);
    const pdf = testBytes(7, 6000);
    const file = await uploadToHubSpot(world, 'manual.pdf', 'application/pdf', pdf);
    world.matrix.addFault({
      kind: 'error',
      operationId: 'sendMessage',
      status: 429,
      retryAfterMs: 500,
      count: 1,
    });
    const id = await agentReplies(world, stored.hubspotThreadId ?? '', {
      text: 'Here it is',
      richText: '<p>Here it <strong>is</strong></p>',
      fileIds: [file.id],
      inReplyToId: stored.hubspotMessageId,
    });
    await statusIs(world, id, 'SENT');
    const sent = botMessages(roomId);
    expect(sent.map((e) => e.source)).toEqual(['appservice', 'appservice']);
    expect(sent[0].event.content).toMatchObject({
      body: 'Here it is',
      format: 'org.matrix.custom.html',
      formatted_body: 'Here it <strong>is</strong>',
      'm.relates_to': { 'm.in_reply_to': { event_id: question.event.event_id } },
    });
    expect(sent[1].event.content).toMatchObject({
      msgtype: 'm.file',
      body: 'manual.pdf',
      info: { mimetype: 'application/pdf', size: pdf.length },
    });
    const media = world.matrix.mediaByUri(String(sent[1].event.content.url));
    expect(media?.uploader).toBe(APPSERVICE_BOT);
    expect(media?.bytes?.equals(pdf)).toBe(true);
    expect(
      world.matrix
        .requests({ path: `/rooms/${roomId}/send/` })
        .map((r) => r.status)
        .filter((status) => status !== 200),
    ).toEqual([429]);
    expect(world.sim.state.messages.get(id)?.statusHistory.map((h) => h.status.statusType)).toEqual(
      ['SENT'],
    );
    // The bot's own events, pushed back by the homeserver, are not published as customer messages.
    await world.matrix.waitForTransactions(10_000);
    expect(
      incomingMessages(world, bot.hubspotAccountId).filter((m) => m.text.includes('Here it is')),
    ).toEqual([]);
  });

  it('turns read receipts pushed as ephemeral events into READ', async () => {
    const { customer, roomId } = await customerRoom(world, APPSERVICE_BOT, 'hana', 'Hana');
    const hello = world.matrix.sendText(roomId, customer, 'hi');
    const stored = await published(world, bot.account.id, hello.event.event_id);
    const id = await agentReplies(world, stored.hubspotThreadId ?? '', { text: 'hello Hana' });
    await statusIs(world, id, 'SENT');
    world.matrix.sendReceipt(roomId, customer, botMessages(roomId)[0].event.event_id);
    await statusIs(world, id, 'READ');
  });

  it('a bot kicked from the room ends FAILED with the homeserver reason', async () => {
    const { customer, roomId } = await customerRoom(world, APPSERVICE_BOT, 'ivan', 'Ivan');
    const hello = world.matrix.sendText(roomId, customer, 'bye soon');
    const stored = await published(world, bot.account.id, hello.event.event_id);
    world.matrix.kick(roomId, customer, APPSERVICE_BOT, 'done');
    const id = await agentReplies(world, stored.hubspotThreadId ?? '', { text: 'wait!' });
    const failed = await statusIs(world, id, 'FAILED');
    expect(failed.status?.failureDetails?.errorMessage).toBe(
      `sending to ${roomId}: User ${APPSERVICE_BOT} is no longer in room ${roomId}`,
    );
  });

  it('answers an encrypted room once with a notice and publishes nothing from it', async () => {
    const customer = world.matrix.createUser({ user: 'jo', displayName: 'Jo' }).userId;
    const { roomId } = world.matrix.createRoom({
      creator: customer,
      isDirect: true,
      invite: [APPSERVICE_BOT],
      encrypted: true,
    });
    const notice = await world.matrix.waitForEvent(
      roomId,
      (e) => e.event.sender === APPSERVICE_BOT && e.event.type === 'm.room.message',
      15_000,
    );
    expect(notice.event.content).toEqual({ msgtype: 'm.notice', body: ENCRYPTED_NOTICE });
    const before = incomingMessages(world, bot.hubspotAccountId).length;
    const secret = world.matrix.sendEvent(roomId, customer, 'm.room.encrypted', {
      algorithm: 'm.megolm.v1.aes-sha2',
      ciphertext: 'AwgAEnAC...',
      device_id: 'JOPHONE',
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
    expect((await accountHealth(world, bot.account.id))?.warnings.join(' ')).toContain(roomId);
    expect(botMessages(roomId)).toHaveLength(1);
    expect(incomingMessages(world, bot.hubspotAccountId)).toHaveLength(before);
  });
});
