import { startMatrixSimulator, type MatrixSimulator } from './index';
import { clientFor, CS, enc } from './test-client';

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const joined = (sync: Json, roomId: string): Json => rec(rec(rec(sync.rooms).join)[roomId]);
const timeline = (sync: Json, roomId: string): Json[] => {
  const events = rec(joined(sync, roomId).timeline).events;
  return Array.isArray(events) ? events.map(rec) : [];
};

describe('Matrix simulator: sync, invites, joins, receipts', () => {
  let sim: MatrixSimulator;
  let bot: ReturnType<typeof clientFor>;
  let roomId: string;
  let since: string;

  beforeAll(async () => {
    sim = await startMatrixSimulator();
    const b = sim.createUser({ user: 'bot' });
    sim.createUser({ user: 'alice', displayName: 'Alice' });
    bot = clientFor(sim.baseUrl, b.accessToken);
    roomId = sim.createRoom({ creator: 'alice', isDirect: true, invite: ['bot'] }).roomId;
  }, 30000);
  afterAll(() => sim.close());

  it('shows the invite in rooms.invite with stripped invite_state', async () => {
    const res = await bot('GET', `${CS}/sync`, { query: { timeout: 0 } });
    expect(res.status).toBe(200);
    const invite = rec(rec(rec(res.json.rooms).invite)[roomId]);
    const events = rec(invite.invite_state).events as Json[];
    const me = events.find((e) => e.type === 'm.room.member' && e.state_key === '@bot:localhost');
    expect(rec(me?.content)).toMatchObject({ membership: 'invite', is_direct: true });
    expect(String(res.json.next_batch)).toMatch(/^s\d+$/);
    since = String(res.json.next_batch);
  });

  it('joins the room and then sees it in rooms.join with state and timeline', async () => {
    const join = await bot('POST', `${CS}/join/${enc(roomId)}`, { body: {} });
    expect(join.json).toEqual({ room_id: roomId });
    const res = await bot('GET', `${CS}/sync`, { query: { since, timeout: 0 } });
    const events = timeline(res.json, roomId);
    expect(events.some((e) => e.type === 'm.room.member' && e.state_key === '@bot:localhost')).toBe(
      true,
    );
    expect(events.every((e) => e.room_id === undefined)).toBe(true);
    since = String(res.json.next_batch);
  });

  it('returns only new events after a since token', async () => {
    const ev = sim.sendText(roomId, 'alice', 'Hello, I need help', {
      html: '<p>Hello, I need <b>help</b></p>',
    });
    const res = await bot('GET', `${CS}/sync`, { query: { since, timeout: 0 } });
    const events = timeline(res.json, roomId);
    expect(events.map((e) => e.event_id)).toEqual([ev.event.event_id]);
    expect(rec(events[0].content)).toMatchObject({ format: 'org.matrix.custom.html' });
    since = String(res.json.next_batch);
    const again = await bot('GET', `${CS}/sync`, { query: { since, timeout: 0 } });
    expect(rec(rec(again.json.rooms).join)).toEqual({});
  });

  it('long-polls and returns early when an event arrives', async () => {
    const started = Date.now();
    const pending = bot('GET', `${CS}/sync`, { query: { since, timeout: 5000 } });
    setTimeout(() => sim.sendText(roomId, 'alice', 'anyone?'), 100);
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(timeline(res.json, roomId).map((e) => rec(e.content).body)).toEqual(['anyone?']);
    since = String(res.json.next_batch);
  });

  it('holds an empty long-poll until the timeout', async () => {
    const started = Date.now();
    const res = await bot('GET', `${CS}/sync`, { query: { since, timeout: 300 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(rec(rec(res.json.rooms).join)).toEqual({});
  });

  it('waits for events the gateway sends (waitForEvent)', async () => {
    const waiting = sim.waitForEvent(roomId, (e) => e.source === 'client' && e.txnId === 'w1');
    await bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/w1`, {
      body: { msgtype: 'm.notice', body: 'Ticket created' },
    });
    expect((await waiting).event.content).toEqual({ msgtype: 'm.notice', body: 'Ticket created' });
    await expect(sim.waitForEvent(roomId, () => false, 50)).rejects.toThrow(/No matching event/);
    const res = await bot('GET', `${CS}/sync`, { query: { since, timeout: 0 } });
    since = String(res.json.next_batch);
  });

  it('delivers read receipts as m.receipt in ephemeral', async () => {
    const sent = await bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/r1`, {
      body: { msgtype: 'm.text', body: 'How can I help?' },
    });
    const eventId = String(sent.json.event_id);
    const mid = await bot('GET', `${CS}/sync`, { query: { since, timeout: 0 } });
    since = String(mid.json.next_batch);
    const own = timeline(mid.json, roomId)[0];
    expect(rec(own.unsigned).transaction_id).toBe('r1');
    sim.sendReceipt(roomId, 'alice', eventId);
    const res = await bot('GET', `${CS}/sync`, { query: { since, timeout: 1000 } });
    const eph = rec(joined(res.json, roomId).ephemeral).events as Json[];
    const receipt = eph.find((e) => e.type === 'm.receipt');
    expect(rec(rec(rec(receipt?.content)[eventId])['m.read'])['@alice:localhost']).toHaveProperty(
      'ts',
    );
    since = String(res.json.next_batch);
  });

  it('accepts receipts from the bot via POST /receipt and validates the event exists', async () => {
    const last = sim.events(roomId).at(-1)?.event.event_id ?? '';
    const ok = await bot('POST', `${CS}/rooms/${enc(roomId)}/receipt/m.read/${enc(last)}`, {
      body: {},
    });
    expect(ok.status).toBe(200);
    const missing = await bot('POST', `${CS}/rooms/${enc(roomId)}/receipt/m.read/${enc('$nope')}`, {
      body: {},
    });
    expect(missing.json.errcode).toBe('M_NOT_FOUND');
    expect(sim.receipts(roomId).some((r) => r.userId === '@bot:localhost')).toBe(true);
  });

  it('honours timeline type filters (inline and stored) and limit', async () => {
    sim.sendNotice(roomId, 'alice', 'n1');
    sim.sendText(roomId, 'alice', 't1');
    const inline = JSON.stringify({ room: { timeline: { types: ['m.room.message'], limit: 1 } } });
    const res = await bot('GET', `${CS}/sync`, { query: { since, timeout: 0, filter: inline } });
    const events = timeline(res.json, roomId);
    expect(events.map((e) => rec(e.content).body)).toEqual(['t1']);
    expect(rec(joined(res.json, roomId).timeline).limited).toBe(true);
    const def = await bot('POST', `${CS}/user/${enc('@bot:localhost')}/filter`, {
      body: { room: { timeline: { not_types: ['m.room.message'] } } },
    });
    const stored = await bot('GET', `${CS}/sync`, {
      query: { since, timeout: 0, filter: String(def.json.filter_id) },
    });
    expect(timeline(stored.json, roomId)).toEqual([]);
  });

  it('reports a kick in rooms.leave and forgets the room afterwards', async () => {
    const before = await bot('GET', `${CS}/sync`, { query: { timeout: 0 } });
    since = String(before.json.next_batch);
    sim.kick(roomId, 'alice', 'bot', 'bye');
    const res = await bot('GET', `${CS}/sync`, { query: { since, timeout: 0 } });
    const left = rec(rec(rec(res.json.rooms).leave)[roomId]);
    const events = rec(left.timeline).events as Json[];
    expect(rec(events.at(-1)?.content)).toMatchObject({ membership: 'leave', reason: 'bye' });
    await bot('POST', `${CS}/rooms/${enc(roomId)}/forget`, { body: {} });
    expect(sim.roomSummary(roomId).forgottenBy).toContain('@bot:localhost');
    const full = await bot('GET', `${CS}/sync`, {
      query: { timeout: 0, filter: '{"room":{"include_leave":true}}' },
    });
    expect(rec(rec(full.json.rooms).leave)[roomId]).toBeUndefined();
  });
});
