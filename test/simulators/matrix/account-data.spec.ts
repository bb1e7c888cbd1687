import { startMatrixSimulator, type MatrixSimulator } from './index';
import { clientFor, CS, enc } from './test-client';

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

describe('Matrix simulator: account data, invites by the bot, fully_read markers', () => {
  let sim: MatrixSimulator;
  let bot: ReturnType<typeof clientFor>;
  const me = enc('@bot:localhost');

  beforeAll(async () => {
    sim = await startMatrixSimulator();
    bot = clientFor(sim.baseUrl, sim.createUser({ user: 'bot' }).accessToken);
    sim.createUser({ user: 'dave' });
  }, 30000);
  afterAll(() => sim.close());

  it('answers 404 for unset m.direct, then stores it and reports it in sync account_data', async () => {
    const unset = await bot('GET', `${CS}/user/${me}/account_data/m.direct`);
    expect([unset.status, unset.json.errcode]).toEqual([404, 'M_NOT_FOUND']);
    const first = await bot('GET', `${CS}/sync`, { query: { timeout: 0 } });
    await bot('PUT', `${CS}/user/${me}/account_data/m.direct`, {
      body: { '@dave:localhost': ['!r:localhost'] },
    });
    expect((await bot('GET', `${CS}/user/${me}/account_data/m.direct`)).json).toEqual({
      '@dave:localhost': ['!r:localhost'],
    });
    const next = await bot('GET', `${CS}/sync`, {
      query: { since: String(first.json.next_batch), timeout: 1000 },
    });
    expect(rec(next.json.account_data).events).toEqual([
      { type: 'm.direct', content: { '@dave:localhost': ['!r:localhost'] } },
    ]);
    const other = await bot('GET', `${CS}/user/${enc('@dave:localhost')}/account_data/m.direct`);
    expect(other.json.errcode).toBe('M_FORBIDDEN');
  });

  it('lets the bot create a room with initial_state and invite a customer via /invite', async () => {
    const created = await bot('POST', `${CS}/createRoom`, {
      body: {
        name: 'Help',
        initial_state: [{ type: 'm.room.topic', state_key: '', content: { topic: 'Support' } }],
      },
    });
    const roomId = String(created.json.room_id);
    const invite = await bot('POST', `${CS}/rooms/${enc(roomId)}/invite`, {
      body: { user_id: '@dave:localhost' },
    });
    expect(invite.status).toBe(200);
    expect(sim.roomSummary(roomId).members['@dave:localhost']).toBe('invite');
    const unknown = await bot('POST', `${CS}/rooms/${enc(roomId)}/invite`, {
      body: { user_id: '@ghost:localhost' },
    });
    expect(unknown.json.errcode).toBe('M_NOT_FOUND');
    const bad = await bot('POST', `${CS}/rooms/${enc(roomId)}/invite`, { body: { user: 'dave' } });
    expect([bad.status, bad.json.errcode]).toEqual([400, 'M_BAD_JSON']);
    expect((await bot('GET', `${CS}/rooms/${enc(roomId)}/state/m.room.topic`)).json).toEqual({
      topic: 'Support',
    });
  });

  it('stores m.fully_read as room account data visible in sync', async () => {
    const roomId = sim.createRoom({ creator: 'dave', join: ['bot'] }).roomId;
    const ev = sim.sendText(roomId, 'dave', 'hi');
    const first = await bot('GET', `${CS}/sync`, { query: { timeout: 0 } });
    await bot('POST', `${CS}/rooms/${enc(roomId)}/receipt/m.fully_read/${enc(ev.event.event_id)}`, {
      body: {},
    });
    const next = await bot('GET', `${CS}/sync`, {
      query: { since: String(first.json.next_batch), timeout: 1000 },
    });
    const room = rec(rec(rec(next.json.rooms).join)[roomId]);
    expect(rec(room.account_data).events).toEqual([
      { type: 'm.fully_read', content: { event_id: ev.event.event_id } },
    ]);
  });
});
