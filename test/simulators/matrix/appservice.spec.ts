import { FakeAppservice } from './fake-appservice';
import { startMatrixSimulator, type AppserviceRegistration, type MatrixSimulator } from './index';
import { call, CS, enc } from './test-client';

type Json = Record<string, unknown>;
const eventsOf = (body: Json): Json[] =>
  Array.isArray(body.events) ? (body.events as Json[]) : [];

describe('Matrix simulator: application service mode', () => {
  let sim: MatrixSimulator;
  const as = new FakeAppservice();
  let reg: AppserviceRegistration;
  let roomId: string;

  beforeAll(async () => {
    await as.start();
    reg = {
      id: 'hubspot-gateway',
      url: as.url,
      as_token: 'as_secret',
      hs_token: 'hs_secret',
      sender_localpart: '_hubspot_bot',
      rate_limited: false,
      receive_ephemeral: true,
      namespaces: {
        users: [{ exclusive: true, regex: '@_hubspot_.*:localhost' }],
        aliases: [],
        rooms: [],
      },
    };
    sim = await startMatrixSimulator({
      appservices: [reg],
      appservicePush: { initialBackoffMs: 20, maxBackoffMs: 100 },
    });
    sim.createUser({ user: 'alice', displayName: 'Alice' });
  }, 30000);
  afterAll(async () => {
    await sim.close();
    await as.stop();
  });

  const asCall = (method: string, path: string, body?: unknown, userId?: string) =>
    call(sim.baseUrl, method, path, {
      token: reg.as_token,
      body,
      query: userId ? { user_id: userId } : {},
    });

  it('pushes transactions with the hs_token when the AS user is invited, and events after joining', async () => {
    roomId = sim.createRoom({
      creator: 'alice',
      isDirect: true,
      invite: ['@_hubspot_bot:localhost'],
    }).roomId;
    expect(await sim.waitForTransactions()).toBe(true);
    const invites = as.transactions().flatMap((t) => eventsOf(t.body));
    expect(
      invites.some((e) => e.type === 'm.room.member' && e.state_key === '@_hubspot_bot:localhost'),
    ).toBe(true);
    expect(as.transactions().every((t) => t.authorization === 'Bearer hs_secret')).toBe(true);
    expect(as.transactions()[0].method).toBe('PUT');
    const join = await asCall('POST', `${CS}/join/${enc(roomId)}`, {});
    expect(join.status).toBe(200);
    const msg = sim.sendText(roomId, 'alice', 'Hi support');
    await sim.waitForTransactions();
    const all = as.transactions().flatMap((t) => eventsOf(t.body));
    const pushed = all.find((e) => e.event_id === msg.event.event_id);
    expect(pushed).toMatchObject({
      room_id: roomId,
      sender: '@alice:localhost',
      type: 'm.room.message',
    });
  });

  it('redelivers a failed transaction with the same txnId and identical body', async () => {
    as.received.length = 0;
    as.failNext = [500, 503];
    const msg = sim.sendText(roomId, 'alice', 'are you there?');
    expect(await sim.waitForTransactions(3000)).toBe(true);
    const attempts = as.transactions();
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.url)).size).toBe(1);
    expect(attempts[1].body).toEqual(attempts[0].body);
    expect(eventsOf(attempts[0].body).map((e) => e.event_id)).toContain(msg.event.event_id);
    const record = sim.transactions('hubspot-gateway').at(-1);
    expect(record?.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(record?.delivered).toBe(true);
    const next = sim.sendText(roomId, 'alice', 'next');
    await sim.waitForTransactions();
    const last = as.transactions().at(-1);
    expect(last?.url).not.toBe(attempts[0].url);
    expect(eventsOf(last?.body ?? {}).map((e) => e.event_id)).toEqual([next.event.event_id]);
  });

  it('redelivers when the AS processed a transaction but the ack was lost (dropped connection)', async () => {
    as.received.length = 0;
    as.dropNext = 1;
    const msg = sim.sendText(roomId, 'alice', 'lost ack');
    expect(await sim.waitForTransactions(3000)).toBe(true);
    const attempts = as.transactions();
    expect(attempts).toHaveLength(2);
    expect(attempts[1].url).toBe(attempts[0].url);
    expect(eventsOf(attempts[1].body).map((e) => e.event_id)).toEqual([msg.event.event_id]);
    const record = sim.transactions().at(-1);
    expect(record?.attempts[0].error).toBeDefined();
    expect(record?.attempts[1].status).toBe(200);
  });

  it('pushes read receipts as ephemeral events (stable and MSC2409 keys)', async () => {
    as.received.length = 0;
    const target = sim.events(roomId).at(-1)?.event.event_id ?? '';
    sim.sendReceipt(roomId, 'alice', target);
    await sim.waitForTransactions();
    const body = as.transactions().at(-1)?.body ?? {};
    const eph = body.ephemeral as Json[];
    expect(eph[0]).toMatchObject({ type: 'm.receipt', room_id: roomId });
    expect(body['de.sorunome.msc2409.ephemeral']).toEqual(eph);
  });

  it('registers puppets and masquerades with as_token + user_id', async () => {
    const reg1 = await asCall('POST', `${CS}/register`, {
      type: 'm.login.application_service',
      username: '_hubspot_42',
    });
    expect(reg1.json.user_id).toBe('@_hubspot_42:localhost');
    const dup = await asCall('POST', `${CS}/register`, {
      type: 'm.login.application_service',
      username: '_hubspot_42',
    });
    expect(dup.json.errcode).toBe('M_USER_IN_USE');
    const anon = await call(sim.baseUrl, 'POST', `${CS}/register`, {
      body: { type: 'm.login.application_service', username: '_hubspot_43' },
    });
    expect([anon.status, anon.json.errcode]).toEqual([401, 'M_MISSING_TOKEN']);
    const outside = await asCall('POST', `${CS}/register`, {
      type: 'm.login.application_service',
      username: 'mallory',
    });
    expect(outside.json.errcode).toBe('M_EXCLUSIVE');
    const puppet = '@_hubspot_42:localhost';
    await asCall(
      'PUT',
      `${CS}/profile/${enc(puppet)}/displayname`,
      { displayname: 'Agent Jane' },
      puppet,
    );
    sim.invite(roomId, 'alice', puppet);
    expect((await asCall('POST', `${CS}/join/${enc(roomId)}`, {}, puppet)).status).toBe(200);
    const who = await asCall('GET', `${CS}/account/whoami`, undefined, puppet);
    expect(who.json.user_id).toBe(puppet);
    const sent = await asCall(
      'PUT',
      `${CS}/rooms/${enc(roomId)}/send/m.room.message/p1?ts=1700000000000`,
      { msgtype: 'm.text', body: 'Jane here' },
      puppet,
    );
    expect(sent.status).toBe(200);
    const ev = sim.events(roomId).find((e) => e.event.event_id === sent.json.event_id);
    expect(ev).toMatchObject({
      source: 'appservice',
      txnId: 'p1',
      event: { sender: puppet, origin_server_ts: 1700000000000 },
    });
    const members = await asCall(
      'GET',
      `${CS}/rooms/${enc(roomId)}/joined_members`,
      undefined,
      puppet,
    );
    expect((members.json.joined as Json)[puppet]).toEqual({ display_name: 'Agent Jane' });
  });

  it('refuses masquerading outside the namespace or as unregistered users', async () => {
    const outside = await asCall('GET', `${CS}/account/whoami`, undefined, '@alice:localhost');
    expect([outside.status, outside.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
    const unregistered = await asCall(
      'GET',
      `${CS}/account/whoami`,
      undefined,
      '@_hubspot_999:localhost',
    );
    expect([unregistered.status, unregistered.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
  });

  it('pings the appservice (200 duration_ms, 502 M_BAD_STATUS, 403 for other ids)', async () => {
    const ok = await asCall('POST', '/_matrix/client/v1/appservice/hubspot-gateway/ping', {
      transaction_id: 'ping1',
    });
    expect(ok.status).toBe(200);
    expect(typeof ok.json.duration_ms).toBe('number');
    const ping = as.received.find((r) => r.url === '/_matrix/app/v1/ping');
    expect(ping).toMatchObject({
      authorization: 'Bearer hs_secret',
      body: { transaction_id: 'ping1' },
    });
    as.pingStatus = 401;
    const bad = await asCall('POST', '/_matrix/client/v1/appservice/hubspot-gateway/ping', {});
    expect([bad.status, bad.json.errcode, bad.json.status]).toEqual([502, 'M_BAD_STATUS', 401]);
    const other = await asCall('POST', '/_matrix/client/v1/appservice/someone-else/ping', {});
    expect([other.status, other.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
    const user = sim.createUser({ user: 'plain' });
    const notAs = await call(
      sim.baseUrl,
      'POST',
      '/_matrix/client/v1/appservice/hubspot-gateway/ping',
      { token: user.accessToken, body: {} },
    );
    expect(notAs.json.errcode).toBe('M_FORBIDDEN');
  });

  it('validates registrations against registration.yaml', () => {
    expect(() => sim.registerAppservice({ id: 'x', url: null })).toThrow(/registration/);
  });
});
