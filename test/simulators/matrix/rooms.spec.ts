import { startMatrixSimulator, type MatrixSimulator } from './index';
import { clientFor, CS, enc } from './test-client';

describe('Matrix simulator: rooms, sending, membership errors', () => {
  let sim: MatrixSimulator;
  let bot: ReturnType<typeof clientFor>;
  let roomId: string;

  beforeAll(async () => {
    sim = await startMatrixSimulator();
    const b = sim.createUser({ user: 'bot', displayName: 'Bot' });
    sim.createUser({ user: 'alice', displayName: 'Alice' });
    bot = clientFor(sim.baseUrl, b.accessToken);
    roomId = sim.createRoom({ creator: 'alice', name: 'Support', invite: ['bot'] }).roomId;
  }, 30000);
  afterAll(() => sim.close());

  it('refuses sending before joining (403 M_FORBIDDEN) and joins via /rooms/{id}/join', async () => {
    const before = await bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/pre`, {
      body: { msgtype: 'm.text', body: 'x' },
    });
    expect([before.status, before.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
    const join = await bot('POST', `${CS}/rooms/${enc(roomId)}/join`, { body: {} });
    expect(join.json.room_id).toBe(roomId);
  });

  it('is idempotent per txnId: same event_id, one event', async () => {
    const path = `${CS}/rooms/${enc(roomId)}/send/m.room.message/1795546985524__inc1`;
    const a = await bot('PUT', path, { body: { msgtype: 'm.text', body: 'once' } });
    const b = await bot('PUT', path, { body: { msgtype: 'm.text', body: 'once' } });
    expect(a.status).toBe(200);
    expect(b.json.event_id).toBe(a.json.event_id);
    const sent = sim.sentByGateway(roomId).filter((e) => e.event.type === 'm.room.message');
    expect(sent).toHaveLength(1);
    expect(sent[0].txnId).toBe('1795546985524__inc1');
    const other = await bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/second`, {
      body: { msgtype: 'm.text', body: 'twice' },
    });
    expect(other.json.event_id).not.toBe(a.json.event_id);
  });

  it('scopes txnIds per device: another login reusing the txnId creates a new event', async () => {
    const second = sim.createUser({ user: 'bot', deviceId: 'OTHER' });
    const path = `${CS}/rooms/${enc(roomId)}/send/m.room.message/1795546985524__inc1`;
    const res = await clientFor(sim.baseUrl, second.accessToken)('PUT', path, {
      body: { msgtype: 'm.text', body: 'once' },
    });
    const first = sim.sentByGateway(roomId).find((e) => e.txnId === '1795546985524__inc1');
    expect(res.json.event_id).not.toBe(first?.event.event_id);
  });

  it('reads state, members, joined_members, a single event and messages', async () => {
    const name = await bot('GET', `${CS}/rooms/${enc(roomId)}/state/m.room.name`);
    expect(name.json).toEqual({ name: 'Support' });
    const withKey = await bot('GET', `${CS}/rooms/${enc(roomId)}/state/m.room.name/`);
    expect(withKey.json).toEqual({ name: 'Support' });
    const state = await bot('GET', `${CS}/rooms/${enc(roomId)}/state`);
    expect(state.status).toBe(200);
    const jm = await bot('GET', `${CS}/rooms/${enc(roomId)}/joined_members`);
    expect(jm.json.joined).toEqual({
      '@alice:localhost': { display_name: 'Alice' },
      '@bot:localhost': { display_name: 'Bot' },
    });
    const members = await bot('GET', `${CS}/rooms/${enc(roomId)}/members`, {
      query: { membership: 'join' },
    });
    expect(members.json.chunk).toHaveLength(2);
    const ev = sim.sendText(roomId, 'alice', 'look at this');
    const single = await bot('GET', `${CS}/rooms/${enc(roomId)}/event/${enc(ev.event.event_id)}`);
    expect(single.json).toMatchObject({
      event_id: ev.event.event_id,
      room_id: roomId,
      sender: '@alice:localhost',
    });
    const missing = await bot('GET', `${CS}/rooms/${enc(roomId)}/event/${enc('$missing')}`);
    expect([missing.status, missing.json.errcode]).toEqual([404, 'M_NOT_FOUND']);
    const msgs = await bot('GET', `${CS}/rooms/${enc(roomId)}/messages`, {
      query: { dir: 'b', limit: 1 },
    });
    expect((msgs.json.chunk as unknown[]).length).toBe(1);
  });

  it('allows a member to update its own m.room.member profile but not others or membership', async () => {
    const me = enc('@bot:localhost');
    const own = await bot('PUT', `${CS}/rooms/${enc(roomId)}/state/m.room.member/${me}`, {
      body: { membership: 'join', displayname: 'Support (Jane)' },
    });
    expect(own.status).toBe(200);
    const other = await bot(
      'PUT',
      `${CS}/rooms/${enc(roomId)}/state/m.room.member/${enc('@alice:localhost')}`,
      {
        body: { membership: 'leave' },
      },
    );
    expect([other.status, other.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
    const nameless = await bot('PUT', `${CS}/rooms/${enc(roomId)}/state/m.room.name`, {
      body: { name: 'x' },
    });
    expect([nameless.status, nameless.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
    expect(String(nameless.json.error)).toContain('power level');
  });

  it('answers M_NOT_FOUND for an unknown room', async () => {
    const res = await bot('PUT', `${CS}/rooms/${enc('!nope:localhost')}/send/m.room.message/u1`, {
      body: { msgtype: 'm.text', body: 'x' },
    });
    expect([res.status, res.json.errcode]).toEqual([404, 'M_NOT_FOUND']);
  });

  it('records customer replies, edits, voice and location as sent', () => {
    const first = sim.sendText(roomId, 'alice', 'orig');
    const reply = sim.sendReply(roomId, 'alice', first.event.event_id, 'answer');
    const edit = sim.sendEdit(roomId, 'alice', first.event.event_id, 'fixed');
    const media = sim.uploadMedia('alice', Buffer.from('OggS'), 'audio/ogg', 'voice.ogg');
    const voice = sim.sendVoice(roomId, 'alice', {
      url: media.contentUri,
      body: 'Voice message',
      duration: 1200,
      mimetype: 'audio/ogg',
      size: 4,
    });
    const loc = sim.sendLocation(roomId, 'alice', 'geo:52.52,13.40', 'Berlin');
    expect(reply.event.content['m.relates_to']).toEqual({
      'm.in_reply_to': { event_id: first.event.event_id },
    });
    expect(edit.event.content).toMatchObject({
      body: '* fixed',
      'm.new_content': { body: 'fixed' },
    });
    expect(voice.event.content).toHaveProperty(['org.matrix.msc3245.voice'], {});
    expect(loc.event.content.geo_uri).toBe('geo:52.52,13.40');
  });

  it('kick -> 403 M_FORBIDDEN on send; ban -> 403 on join; unban + invite -> join works', async () => {
    sim.kick(roomId, 'alice', 'bot');
    const send = await bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/k1`, {
      body: { msgtype: 'm.text', body: 'x' },
    });
    expect([send.status, send.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
    sim.ban(roomId, 'alice', 'bot', 'spam');
    const join = await bot('POST', `${CS}/join/${enc(roomId)}`, { body: {} });
    expect([join.status, join.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
    expect(String(join.json.error)).toContain('banned');
    sim.unban(roomId, 'alice', 'bot');
    sim.invite(roomId, 'alice', 'bot');
    expect((await bot('POST', `${CS}/join/${enc(roomId)}`, { body: {} })).status).toBe(200);
  });

  it('lets the bot leave and create its own DM room with an encrypted flag visible in state', async () => {
    const leave = await bot('POST', `${CS}/rooms/${enc(roomId)}/leave`, { body: {} });
    expect(leave.status).toBe(200);
    const created = await bot('POST', `${CS}/createRoom`, {
      body: { preset: 'trusted_private_chat', is_direct: true, invite: ['@alice:localhost'] },
    });
    const dm = String(created.json.room_id);
    expect(sim.roomSummary(dm).members).toEqual({
      '@bot:localhost': 'join',
      '@alice:localhost': 'invite',
    });
    sim.join(dm, 'alice');
    sim.enableEncryption(dm, 'alice');
    const enc1 = await bot('GET', `${CS}/rooms/${enc(dm)}/state/m.room.encryption`);
    expect(enc1.json).toEqual({ algorithm: 'm.megolm.v1.aes-sha2' });
    const room2 = sim.createRoom({ creator: 'alice', encrypted: true });
    expect(sim.roomSummary(room2.roomId).encrypted).toBe(true);
  });
});
