import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import {
  call,
  DEFAULT_CAPABILITIES,
  type Fixture,
  incoming,
  rec,
  type Receiver,
  setupChannel,
  startReceiver,
} from './test-helpers';

jest.setTimeout(30_000);

describe('HubSpot simulator: publishing, threading, tickets and routing', () => {
  let sim: HubSpotSimulator;
  let receiver: Receiver;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({ port: 0, webhookTimeScale: 0.0001 });
    receiver = await startReceiver();
  }, 60_000);
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  const publish = (f: Fixture, body: unknown) =>
    call(sim, 'POST', `/conversations/v3/custom-channels/${f.channelId}/messages`, {
      token: f.token,
      body,
    });

  it('returns the original message for a repeated integrationIdempotencyId (no second message)', async () => {
    const f = await setupChannel(sim);
    const first = await publish(f, incoming(f, { integrationIdempotencyId: 'ext-1' }));
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toContain(`/messages/${String(rec(first.body).id)}`);
    const again = await publish(
      f,
      incoming(f, { integrationIdempotencyId: 'ext-1', text: 'changed' }),
    );
    expect(again.status).toBe(200);
    expect(rec(again.body).id).toBe(rec(first.body).id);
    expect(rec(again.body).text).toBe('Hello');
    const inThread = [...sim.state.messages.values()].filter(
      (m) => m.conversationsThreadId === rec(first.body).conversationsThreadId,
    );
    expect(inThread).toHaveLength(1);
  });

  it('tells onMessagePublished listeners of each stored message, not of replays, until removed', async () => {
    const f = await setupChannel(sim);
    const seen: { id: string; stored: boolean }[] = [];
    const remove = sim.onMessagePublished((m) =>
      seen.push({ id: m.id, stored: sim.state.messages.get(m.id) === m }),
    );
    const first = rec((await publish(f, incoming(f, { integrationIdempotencyId: 'hook-1' }))).body);
    await publish(f, incoming(f, { integrationIdempotencyId: 'hook-1' }));
    remove();
    await publish(f, incoming(f, { integrationIdempotencyId: 'hook-2' }));
    expect(seen).toEqual([{ id: first.id, stored: true }]);
  });

  it('INTEGRATION_THREAD_ID: same integrationThreadId joins, a new one starts a thread, and it is required', async () => {
    const f = await setupChannel(sim);
    const a = rec((await publish(f, incoming(f, { integrationThreadId: 't-1' }))).body);
    const b = rec((await publish(f, incoming(f, { integrationThreadId: 't-1' }))).body);
    const c = rec((await publish(f, incoming(f, { integrationThreadId: 't-2' }))).body);
    expect(b.conversationsThreadId).toBe(a.conversationsThreadId);
    expect(c.conversationsThreadId).not.toBe(a.conversationsThreadId);
    expect(a).toMatchObject({
      direction: 'INCOMING',
      type: 'MESSAGE',
      client: { clientType: 'INTEGRATION', integrationAppId: sim.app.appId },
      truncationStatus: 'NOT_TRUNCATED',
    });
    const senders = a.senders as { actorId: string }[];
    expect(senders[0].actorId).toMatch(/^V-\d+$/);
    const missing = incoming(f);
    delete missing.integrationThreadId;
    expect((await publish(f, missing)).status).toBe(400);
  });

  it('DELIVERY_IDENTIFIER: the customer identifier picks the thread', async () => {
    const f = await setupChannel(sim, {
      capabilities: { ...DEFAULT_CAPABILITIES, threadingModel: 'DELIVERY_IDENTIFIER' },
    });
    const alice = { type: 'HS_EMAIL_ADDRESS', value: 'alice@example.com' };
    const bob = { type: 'HS_EMAIL_ADDRESS', value: 'bob@example.com' };
    const a1 = rec((await publish(f, incoming(f, { integrationThreadId: undefined }, alice))).body);
    const a2 = rec(
      (
        await publish(
          f,
          incoming(f, { integrationThreadId: 'ignored' }, { ...alice, value: 'Alice@Example.com' }),
        )
      ).body,
    );
    const b1 = rec((await publish(f, incoming(f, {}, bob))).body);
    expect(a2.conversationsThreadId).toBe(a1.conversationsThreadId);
    expect(b1.conversationsThreadId).not.toBe(a1.conversationsThreadId);
  });

  it('a new INCOMING message on a CLOSED thread starts a new thread', async () => {
    const f = await setupChannel(sim);
    const first = rec((await publish(f, incoming(f, { integrationThreadId: 'closing' }))).body);
    const threadId = String(first.conversationsThreadId);
    const closed = await call(sim, 'PATCH', `/conversations/v3/conversations/threads/${threadId}`, {
      token: f.token,
      body: { status: 'CLOSED' },
    });
    expect(closed.status).toBe(200);
    expect(rec(closed.body).status).toBe('CLOSED');
    const next = rec((await publish(f, incoming(f, { integrationThreadId: 'closing' }))).body);
    expect(next.conversationsThreadId).not.toBe(threadId);
  });

  it('help desk: creates a ticket per new thread with routing properties and contact-owner assignment', async () => {
    const f = await setupChannel(sim, { helpDesk: true });
    const owners = sim.state.ownersOf(f.portalId);
    const owner = owners[1];
    const contact = sim.control.seedContact({
      portalId: f.portalId,
      phone: '+1 (415) 555-0100',
      firstname: 'Pat',
      ownerId: owner.id,
    });
    sim.control.setRouting(f.accountId, {
      ticketProperties: { hs_ticket_priority: 'HIGH', hs_pipeline_stage: '2' },
      assignment: { type: 'CONTACT_OWNER' },
    });
    const msg = rec(
      (
        await publish(
          f,
          incoming(
            f,
            { integrationThreadId: 'hd-1' },
            { type: 'HS_PHONE_NUMBER', value: '+14155550100' },
          ),
        )
      ).body,
    );
    const thread = await call(
      sim,
      'GET',
      `/conversations/v3/conversations/threads/${String(msg.conversationsThreadId)}?association=TICKET`,
      { token: f.token },
    );
    expect(thread.status).toBe(200);
    const t = rec(thread.body);
    expect(t.associatedContactId).toBe(contact.id);
    expect(t.assignedTo).toBe(`A-${owner.userId}`);
    const ticketId = String(rec(t.threadAssociations).associatedTicketId);
    const ticket = await call(
      sim,
      'GET',
      `/crm/v3/objects/tickets/${ticketId}?properties=hubspot_owner_id,hs_ticket_priority,hs_pipeline_stage,subject&associations=contacts`,
      { token: f.token },
    );
    expect(ticket.status).toBe(200);
    expect(rec(ticket.body).properties).toMatchObject({
      hubspot_owner_id: owner.id,
      hs_ticket_priority: 'HIGH',
      hs_pipeline_stage: '2',
    });
    const assoc = await call(
      sim,
      'GET',
      `/crm/v4/objects/tickets/${ticketId}/associations/contacts`,
      { token: f.token },
    );
    expect(rec(assoc.body).results).toEqual([
      {
        toObjectId: contact.id,
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 16 }],
      },
    ]);
    // Second message on the same thread: no second ticket.
    await publish(
      f,
      incoming(
        f,
        { integrationThreadId: 'hd-1' },
        { type: 'HS_PHONE_NUMBER', value: '+14155550100' },
      ),
    );
    const byThread = await call(sim, 'POST', '/crm/v3/objects/tickets/search', {
      token: f.token,
      body: {
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'hs_conversations_originating_thread_id',
                operator: 'EQ',
                value: String(msg.conversationsThreadId),
              },
            ],
          },
        ],
        properties: ['subject'],
        limit: 10,
        after: '0',
        sorts: [],
      },
    });
    expect(rec(byThread.body).total).toBe(1);
  });

  it('routing: specific users and teams round-robin; unassigned by default; associateWithContactId', async () => {
    const f = await setupChannel(sim, { helpDesk: true });
    const owners = sim.state.ownersOf(f.portalId);
    const plain = rec((await publish(f, incoming(f, { integrationThreadId: 'none-1' }))).body);
    expect(sim.state.threads.get(String(plain.conversationsThreadId))?.assignedTo).toBeUndefined();
    sim.control.setRouting(f.accountId, {
      assignment: { type: 'USERS_AND_TEAMS', userIds: owners.map((o) => o.userId) },
    });
    const r1 = rec((await publish(f, incoming(f, { integrationThreadId: 'rr-1' }))).body);
    const r2 = rec((await publish(f, incoming(f, { integrationThreadId: 'rr-2' }))).body);
    const assigned = [r1, r2].map(
      (m) => sim.state.threads.get(String(m.conversationsThreadId))?.assignedTo,
    );
    expect(new Set(assigned)).toEqual(new Set(owners.map((o) => `A-${o.userId}`)));
    const c = sim.control.seedContact({ portalId: f.portalId, email: 'forced@example.com' });
    const forced = rec(
      (
        await publish(
          f,
          incoming(f, { integrationThreadId: 'forced', associateWithContactId: Number(c.id) }),
        )
      ).body,
    );
    const thread = sim.state.threads.get(String(forced.conversationsThreadId));
    expect(thread?.associatedContactId).toBe(c.id);
    const ticketId = thread?.ticketId ?? '';
    expect(
      sim.state.associations.some(
        (a) =>
          a.fromType === 'tickets' &&
          a.fromId === ticketId &&
          a.toType === 'contacts' &&
          a.toId === c.id,
      ),
    ).toBe(true);
  });

  it('refuses publishes to unauthorized accounts and FILE attachments that do not exist', async () => {
    const f = await setupChannel(sim);
    const badFile = await publish(
      f,
      incoming(f, { attachments: [{ type: 'FILE', fileId: '999', fileUsageType: 'IMAGE' }] }),
    );
    expect(badFile.status).toBe(400);
    const off = await call(
      sim,
      'PATCH',
      `/conversations/v3/custom-channels/${f.channelId}/channel-accounts/${f.accountId}`,
      { token: f.token, body: { authorized: false } },
    );
    expect(rec(off.body)).toMatchObject({ authorized: false, active: false });
    expect((await publish(f, incoming(f))).status).toBe(400);
  });

  it('agent reply -> OUTGOING_CHANNEL_MESSAGE_CREATED webhook; status PATCH SENT/FAILED recorded', async () => {
    const f = await setupChannel(sim, {
      webhookUrl: `${receiver.url}/hubspot/webhook?tenant=acme`,
    });
    const first = rec((await publish(f, incoming(f, { integrationThreadId: 'conv-9' }))).body);
    const file = sim.control.uploadFile({
      portalId: f.portalId,
      name: 'photo.png',
      contentType: 'image/png',
      content: Buffer.from('png-bytes'),
    });
    const { message } = sim.control.agentReply(String(first.conversationsThreadId), {
      text: 'Hi there',
      richText: '<p>Hi <b>there</b></p>',
      fileIds: [file.id],
      inReplyToId: String(first.id),
    });
    await sim.waitForWebhooks();
    const got = receiver.received.find((r) => r.body.includes(message.id));
    expect(got).toBeDefined();
    const event = JSON.parse(got?.body ?? '{}') as Record<string, unknown>;
    expect(event).toMatchObject({
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      portalId: f.portalId,
      channelId: f.channelId,
      channelIntegrationThreadIds: ['conv-9'],
    });
    const m = rec(event.message);
    expect(m).toMatchObject({
      direction: 'OUTGOING',
      text: 'Hi there',
      inReplyToId: first.id,
      channelAccountId: f.accountId,
    });
    expect((m.senders as { actorId: string }[])[0].actorId).toMatch(/^A-\d+$/);
    expect((m.recipients as { deliveryIdentifier: unknown }[])[0].deliveryIdentifier).toEqual({
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'user-1',
    });
    expect((m.attachments as { fileId: string }[])[0]).toMatchObject({
      type: 'FILE',
      fileId: file.id,
      fileUsageType: 'IMAGE',
    });

    const path = `/conversations/v3/custom-channels/${f.channelId}/messages/${message.id}`;
    expect(
      rec((await call(sim, 'PATCH', path, { token: f.token, body: { statusType: 'SENT' } })).body)
        .status,
    ).toEqual({ statusType: 'SENT' });
    const failed = await call(sim, 'PATCH', path, {
      token: f.token,
      body: { statusType: 'FAILED', errorMessage: 'User blocked the bot' },
    });
    expect(rec(failed.body).status).toEqual({
      statusType: 'FAILED',
      failureDetails: { errorMessage: 'User blocked the bot', errorMessageTokens: {} },
    });
    expect(
      (await call(sim, 'PATCH', path, { token: f.token, body: { statusType: 'RECEIVED' } })).status,
    ).toBe(400);
    const stored = sim.state.messages.get(message.id);
    expect(stored?.statusHistory.map((h) => h.status.statusType)).toEqual(['SENT', 'FAILED']);
    const read = await call(sim, 'GET', path, { token: f.token });
    expect(rec(read.body).id).toBe(message.id);
    // The incoming message has no delivery status to set.
    expect(
      (
        await call(
          sim,
          'PATCH',
          `/conversations/v3/custom-channels/${f.channelId}/messages/${String(first.id)}`,
          { token: f.token, body: { statusType: 'READ' } },
        )
      ).status,
    ).toBe(400);
  });

  it('the control API drives agent replies over HTTP too', async () => {
    const f = await setupChannel(sim, { webhookUrl: `${receiver.url}/hook` });
    const first = rec((await publish(f, incoming(f, { integrationThreadId: 'ctl' }))).body);
    const res = await call(
      sim,
      'POST',
      `/__sim/threads/${String(first.conversationsThreadId)}/reply`,
      {
        body: {
          text: 'via control',
          attachments: [
            {
              name: 'doc.pdf',
              contentType: 'application/pdf',
              contentBase64: Buffer.from('%PDF').toString('base64'),
            },
          ],
        },
      },
    );
    expect(res.status).toBe(201);
    const state = rec((await call(sim, 'GET', '/__sim/state')).body);
    expect((state.messages as { text: string }[]).some((m) => m.text === 'via control')).toBe(true);
    const disallowed = await call(
      sim,
      'POST',
      `/__sim/threads/${String(first.conversationsThreadId)}/reply`,
      {
        body: {
          text: 'zip',
          attachments: [{ name: 'a.zip', contentType: 'application/zip', contentBase64: 'AA==' }],
        },
      },
    );
    expect(disallowed.status).toBe(400);
  });

  it('lets a control reply mark a file as a voice recording, and rejects unknown usage types', async () => {
    const f = await setupChannel(sim, {
      webhookUrl: `${receiver.url}/hook`,
      capabilities: { ...DEFAULT_CAPABILITIES, allowedFileAttachmentMimeTypes: ['audio/*'] },
    });
    const first = rec((await publish(f, incoming(f, { integrationThreadId: 'voice' }))).body);
    const reply = (body: Record<string, unknown>) =>
      call(sim, 'POST', `/__sim/threads/${String(first.conversationsThreadId)}/reply`, { body });
    const note = {
      name: 'note.ogg',
      contentType: 'audio/ogg',
      contentBase64: Buffer.from('OggS').toString('base64'),
    };
    const voice = await reply({
      text: 'voice',
      attachments: [{ ...note, fileUsageType: 'VOICE_RECORDING' }, note],
    });
    expect(voice.status).toBe(201);
    const attachments = rec(rec(voice.body).message).attachments as { fileUsageType: string }[];
    // The second file has no usage type of its own: audio/* gives AUDIO.
    expect(attachments.map((a) => a.fileUsageType)).toEqual(['VOICE_RECORDING', 'AUDIO']);
    const bad = await reply({ text: 'x', attachments: [{ ...note, fileUsageType: 'PODCAST' }] });
    expect(bad.status).toBe(400);
    const badById = await reply({ text: 'x', fileUsageTypes: { '1': 'PODCAST' } });
    expect(badById.status).toBe(400);
  });

  it('serves the dated 2026-03 paths and the Conversations API views of the same data', async () => {
    const f = await setupChannel(sim);
    const res = await call(
      sim,
      'POST',
      `/conversations/custom-channels/2026-03/${f.channelId}/messages`,
      {
        token: f.token,
        body: incoming(f, { integrationThreadId: 'dated' }),
      },
    );
    expect(res.status).toBe(201);
    const threadId = String(rec(res.body).conversationsThreadId);
    const inboxes = rec(
      (await call(sim, 'GET', '/conversations/v3/conversations/inboxes', { token: f.token })).body,
    );
    expect((inboxes.results as { type: string }[]).map((i) => i.type).sort()).toEqual([
      'HELP_DESK',
      'INBOX',
    ]);
    const threads = await call(
      sim,
      'GET',
      `/conversations/v3/conversations/threads?inboxId=${f.inboxId}&threadStatus=OPEN`,
      { token: f.token },
    );
    expect((rec(threads.body).results as { id: string }[]).map((t) => t.id)).toContain(threadId);
    const msgs = rec(
      (
        await call(sim, 'GET', `/conversations/v3/conversations/threads/${threadId}/messages`, {
          token: f.token,
        })
      ).body,
    );
    expect(msgs.results as unknown[]).toHaveLength(1);
    const accounts = rec(
      (
        await call(
          sim,
          'GET',
          `/conversations/v3/conversations/channel-accounts?channelId=${f.channelId}`,
          { token: f.token },
        )
      ).body,
    );
    expect((accounts.results as { id: string }[])[0].id).toBe(f.accountId);
    const actor = rec(
      (
        await call(
          sim,
          'GET',
          `/conversations/v3/conversations/actors/A-${sim.state.ownersOf(f.portalId)[0].userId}`,
          { token: f.token },
        )
      ).body,
    );
    expect(actor.type).toBe('AGENT');
    expect(
      (await call(sim, 'GET', '/conversations/v3/conversations/threads/abc', { token: f.token }))
        .status,
    ).toBe(400);
  });
});
