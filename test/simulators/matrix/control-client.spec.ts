import { MatrixSimControlClient, startMatrixSimulator, type MatrixSimulator } from './index';

describe('Matrix simulator: typed HTTP control client', () => {
  let sim: MatrixSimulator;
  let ctl: MatrixSimControlClient;

  beforeAll(async () => {
    sim = await startMatrixSimulator();
    ctl = new MatrixSimControlClient(sim.baseUrl);
  }, 30000);
  afterAll(() => sim.close());

  it('drives a customer conversation over HTTP', async () => {
    await ctl.createUser({ user: 'bot' });
    await ctl.createUser({ user: 'erin', displayName: 'Erin' });
    const { roomId } = await ctl.createRoom({
      creator: 'erin',
      isDirect: true,
      invite: ['bot'],
      join: ['bot'],
    });
    const media = await ctl.uploadMedia(
      'erin',
      Buffer.from('%PDF-1.4'),
      'application/pdf',
      'doc.pdf',
    );
    const file = await ctl.sendMessage(roomId, 'erin', {
      kind: 'file',
      url: media.contentUri,
      body: 'doc.pdf',
    });
    await ctl.sendReceipt(roomId, 'erin', file.event_id);
    await ctl.roomAction(roomId, 'ban', { sender: 'erin', userId: 'bot', reason: 'test' });
    expect((await ctl.room(roomId)).members['@bot:localhost']).toBe('ban');
    const events = await ctl.events(roomId, { type: 'm.room.message' });
    expect(events.map((e) => e.event.content.msgtype)).toEqual(['m.file']);
    await expect(
      ctl.sendMessage(roomId, 'erin', { kind: 'file', url: 'nope', body: 'x' }),
    ).rejects.toThrow(/M_BAD_JSON/);
    const fault = await ctl.addFault({ kind: 'error', status: 500, operationId: 'sync' });
    expect(fault.id).toBeDefined();
    await ctl.clearFaults();
  });
});
