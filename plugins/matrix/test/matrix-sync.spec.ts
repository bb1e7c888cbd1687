import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InboundEvent } from '../../../src/core/adapter';
import type { MatrixSimulator } from '../../../test/simulators/matrix';
import { SINCE_KEY } from '../matrix-sync';
import { ENCRYPTED_NOTICE } from '../matrix-room-info';
import {
  InMemoryStateStore,
  matrixTestEnv,
  startMatrixSimulator,
  textsOf,
} from './matrix-test-env';

const hasText = (text: string) => (e: InboundEvent) => e.type === 'message' && e.text === text;

describe('Matrix receive loop (bot mode)', () => {
  let sim: MatrixSimulator;
  beforeAll(async () => {
    sim = await startMatrixSimulator({ serverName: 'localhost' });
  });
  afterAll(() => sim.close());

  it('a restart neither loses nor repeats events (since persisted after emit)', async () => {
    const env = await matrixTestEnv(sim);
    const state = new InMemoryStateStore();
    const first = env.adapter();
    const context1 = env.context(state);
    await first.startReceiving(context1);
    env.sim.sendText(env.roomId, env.customer, 'one');
    await context1.waitForEvent(hasText('one'), { timeoutMs: 3000 });
    await first.stopReceiving(context1.accountId);
    expect(await state.get(SINCE_KEY)).toEqual(expect.stringMatching(/^s\d+$/));

    env.sim.sendText(env.roomId, env.customer, 'two');
    env.sim.sendText(env.roomId, env.customer, 'three');

    const second = env.adapter();
    const context2 = env.context(state);
    await second.startReceiving(context2);
    await context2.waitForEvent(hasText('three'), { timeoutMs: 3000 });
    await context2.eventsDuring(200);
    await second.stopReceiving(context2.accountId);
    expect(textsOf(context2)).toEqual(['two', 'three']);
  });

  it('an emit that fails mid-batch re-reads the batch: nothing is lost', async () => {
    const env = await matrixTestEnv(sim);
    const adapter = env.adapter();
    const context = env.context();
    let failures = 1;
    const emit = context.emit.bind(context);
    context.emit = async (event) => {
      if (event.type === 'message' && event.text === 'b' && failures-- > 0) {
        throw new Error('database down');
      }
      await emit(event);
    };
    await adapter.startReceiving(context);
    const before = await context.state.get<string>(SINCE_KEY);
    env.sim.sendText(env.roomId, env.customer, 'a');
    env.sim.sendText(env.roomId, env.customer, 'b');
    env.sim.sendText(env.roomId, env.customer, 'c');
    await context.waitForEvent(hasText('c'), { timeoutMs: 3000 });
    await adapter.stopReceiving(context.accountId);
    const texts = textsOf(context);
    expect(new Set(texts)).toEqual(new Set(['a', 'b', 'c']));
    expect(texts.indexOf('b')).toBeLessThan(texts.indexOf('c'));
    expect(await context.state.get(SINCE_KEY)).not.toBe(before);
    expect(context.logger.entries.some((e) => e.message.includes('sync failed'))).toBe(true);
  });

  it('marks a room as a group once a second customer joined it', async () => {
    const env = await matrixTestEnv(sim);
    const adapter = env.adapter();
    const context = env.context();
    await adapter.startReceiving(context);
    env.sim.sendText(env.roomId, env.customer, 'just us');
    const direct = await context.waitForEvent(hasText('just us'), { timeoutMs: 3000 });
    const colleague = env.sim.createUser({
      user: `${env.customer.slice(1).split(':')[0]}-colleague`,
    }).userId;
    env.sim.join(env.roomId, colleague);
    env.sim.sendText(env.roomId, colleague, 'me too');
    const group = await context.waitForEvent(hasText('me too'), { timeoutMs: 3000 });
    await adapter.stopReceiving(context.accountId);
    expect(direct.type === 'message' && direct.conversation).toEqual({
      externalId: env.roomId,
      isGroup: false,
    });
    expect(group.type === 'message' && group.conversation).toEqual({
      externalId: env.roomId,
      isGroup: true,
    });
  });

  it("skips the bot's own messages and stops cleanly", async () => {
    const env = await matrixTestEnv(sim);
    const adapter = env.adapter();
    const context = env.context();
    await adapter.startReceiving(context);
    await adapter.send(context, {
      idempotencyKey: 'own-1',
      conversation: { externalId: env.roomId },
      text: 'from the agent',
      attachments: [],
    });
    env.sim.sendText(env.roomId, env.customer, 'from the customer');
    await context.waitForEvent(hasText('from the customer'), { timeoutMs: 3000 });
    await adapter.stopReceiving(context.accountId);
    expect(textsOf(context)).toEqual(['from the customer']);
  });

  it('joins rooms it is invited to and receives their messages', async () => {
    const env = await matrixTestEnv(sim);
    const adapter = env.adapter();
    const context = env.context();
    await adapter.startReceiving(context);
    const { roomId } = sim.createRoom({
      creator: env.customer,
      isDirect: true,
      invite: [env.bot.userId],
    });
    await waitUntil(() => sim.roomSummary(roomId).members[env.bot.userId] === 'join');
    sim.sendText(roomId, env.customer, 'in the new room');
    const event = await context.waitForEvent(hasText('in the new room'), { timeoutMs: 3000 });
    await adapter.stopReceiving(context.accountId);
    expect(event).toMatchObject({
      conversation: { externalId: roomId },
      sender: { id: env.customer, displayName: 'Carla Customer' },
    });
  });

  it('refuses an encrypted room once with a notice and a warning, emits nothing from it', async () => {
    const env = await matrixTestEnv(sim);
    const adapter = env.adapter();
    const context = env.context();
    await adapter.startReceiving(context);
    sim.enableEncryption(env.roomId, env.customer);
    sim.sendEvent(env.roomId, env.customer, 'm.room.encrypted', {
      algorithm: 'm.megolm.v1.aes-sha2',
      ciphertext: 'AwgAEn…',
      session_id: 'session',
      sender_key: 'key',
      device_id: 'DEVICE',
    });
    const notice = await sim.waitForEvent(
      env.roomId,
      (e) => e.event.sender === env.bot.userId && e.event.content.msgtype === 'm.notice',
      3000,
    );
    expect(notice.event.content.body).toBe(ENCRYPTED_NOTICE);
    sim.enableEncryption(env.roomId, env.customer);
    await context.eventsDuring(300);
    await adapter.stopReceiving(context.accountId);
    const notices = sim
      .sentByGateway(env.roomId)
      .filter((e) => e.event.content.msgtype === 'm.notice');
    expect(notices).toHaveLength(1);
    expect(context.warnings).toHaveLength(1);
    expect(context.emitted).toEqual([]);
    await expect(
      adapter.send(context, {
        idempotencyKey: 'enc-1',
        conversation: { externalId: env.roomId },
        text: 'hello?',
        attachments: [],
      }),
    ).rejects.toMatchObject({ retryable: false, code: 'E2EE_UNSUPPORTED' });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
