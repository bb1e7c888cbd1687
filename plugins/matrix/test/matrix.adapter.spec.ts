import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  InvalidCredentialsError,
  type Credentials,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../../src/core/adapter';
import type { MatrixSimulator } from '../../../test/simulators/matrix';
import { MatrixSettings } from '../matrix.settings';
import { txnIdFor } from '../matrix-outbound';
import { matrixTestEnv, startMatrixSimulator } from './matrix-test-env';

describe('Matrix adapter', () => {
  let sim: MatrixSimulator;
  beforeAll(async () => {
    sim = await startMatrixSimulator({ serverName: 'localhost' });
  });
  afterAll(() => sim.close());

  describe('validateCredentials', () => {
    it('exchanges user id + password for a token (normalizedCredentials)', async () => {
      const env = await matrixTestEnv(sim);
      const identity = await env.adapter().validateCredentials({
        homeserverUrl: `${sim.baseUrl}/`,
        userId: env.bot.userId,
        password: 'pw',
      });
      expect(identity).toMatchObject({
        displayName: 'Unit Bot',
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: env.bot.userId },
        normalizedCredentials: { homeserverUrl: sim.baseUrl, accessToken: expect.any(String) },
      });
      const again = await env.adapter().validateCredentials(identity.normalizedCredentials ?? {});
      expect(again.deliveryIdentifier.value).toBe(env.bot.userId);
      expect(again.normalizedCredentials).toBeUndefined();
    });

    it('rejects a wrong password, a bad token and an unreachable homeserver', async () => {
      const env = await matrixTestEnv(sim);
      const adapter = env.adapter();
      const sets: Credentials[] = [
        { homeserverUrl: sim.baseUrl, userId: env.bot.userId, password: 'wrong' },
        { homeserverUrl: sim.baseUrl, accessToken: 'nope' },
        { homeserverUrl: 'http://127.0.0.1:1', accessToken: 'x' },
        { homeserverUrl: 'ftp://x', accessToken: 'x' },
      ];
      for (const credentials of sets) {
        await expect(adapter.validateCredentials(credentials)).rejects.toBeInstanceOf(
          InvalidCredentialsError,
        );
      }
    });
  });

  describe('send', () => {
    it('derives transaction ids from the idempotency key: a retry does not duplicate', async () => {
      const env = await matrixTestEnv(sim);
      const adapter = env.adapter();
      const context = env.context();
      const message = {
        idempotencyKey: 'hubspot-msg-1',
        conversation: { externalId: env.roomId },
        text: 'only once',
        html: '<p>only <b>once</b></p>',
        attachments: [],
        inReplyToExternalId: '$whatever',
      };
      const first = await adapter.send(context, message);
      const second = await adapter.send(context, message);
      expect(second).toEqual(first);
      const sent = sim.sentByGateway(env.roomId);
      expect(sent).toHaveLength(1);
      expect(sent[0].txnId).toBe(txnIdFor('hubspot-msg-1', 0));
      expect(sent[0].event.content).toEqual({
        msgtype: 'm.text',
        body: 'only once',
        format: 'org.matrix.custom.html',
        formatted_body: '<p>only <strong>once</strong></p>',
        'm.relates_to': { 'm.in_reply_to': { event_id: '$whatever' } },
      });
    });

    it('sends a reply whose HTML has no markup as plain text', async () => {
      const env = await matrixTestEnv(sim);
      const adapter = env.adapter();
      await adapter.send(env.context(), {
        idempotencyKey: 'plain-1',
        conversation: { externalId: env.roomId },
        text: 'a < b',
        html: 'a &lt; b',
        attachments: [],
      });
      expect(sim.sentByGateway(env.roomId)[0].event.content).toEqual({
        msgtype: 'm.text',
        body: 'a < b',
      });
    });

    it('maps 429, 5xx and M_FORBIDDEN to RateLimited, Retryable and Permanent errors', async () => {
      const env = await matrixTestEnv(sim);
      const adapter = env.adapter();
      const context = env.context();
      const send = (key: string, roomId = env.roomId) =>
        adapter.send(context, {
          idempotencyKey: key,
          conversation: { externalId: roomId },
          text: 'x',
          attachments: [],
        });
      sim.addFault({
        kind: 'error',
        operationId: 'sendMessage',
        status: 429,
        errcode: 'M_LIMIT_EXCEEDED',
        retryAfterMs: 1500,
        count: 1,
      });
      const limited = await send('e1').catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect((limited as RateLimitedError).retryAfterMs).toBe(2000);
      sim.addFault({ kind: 'error', operationId: 'sendMessage', status: 502, count: 1 });
      const upstream = await send('e2').catch((e: unknown) => e);
      expect(upstream).toBeInstanceOf(RetryableError);
      expect(upstream).not.toBeInstanceOf(RateLimitedError);
      const { roomId } = sim.createRoom({ creator: env.customer });
      const forbidden = await send('e3', roomId).catch((e: unknown) => e);
      expect(forbidden).toBeInstanceOf(PermanentError);
      expect(forbidden).toMatchObject({
        code: 'M_FORBIDDEN',
        reason: expect.stringContaining(roomId),
      });
    });

    it('uploads attachments and sends voice with the MSC3245 flag', async () => {
      const env = await matrixTestEnv(sim);
      const bytes = Buffer.from('OggS voice bytes');
      const { Readable } = await import('node:stream');
      const result = await env.adapter().send(env.context(), {
        idempotencyKey: 'voice-1',
        conversation: { externalId: env.roomId },
        text: '',
        attachments: [
          {
            kind: 'voice',
            fileName: 'v.ogg',
            mimeType: 'audio/ogg',
            open: async () => Readable.from([bytes]),
          },
        ],
      });
      expect(result.externalMessageIds).toHaveLength(1);
      const [event] = sim.sentByGateway(env.roomId);
      expect(event.event.content).toMatchObject({
        msgtype: 'm.audio',
        body: 'v.ogg',
        info: { mimetype: 'audio/ogg', size: bytes.length },
        'org.matrix.msc3245.voice': {},
      });
      expect(sim.mediaByUri(String(event.event.content.url))?.bytes).toEqual(bytes);
    });
  });

  it('openAttachment fails permanently for media the homeserver does not have', async () => {
    const env = await matrixTestEnv(sim);
    await expect(
      env.adapter().openAttachment(env.context(), { kind: 'file', ref: 'mxc://localhost/missing' }),
    ).rejects.toBeInstanceOf(PermanentError);
  });

  it('settings: known keys validated, unknown keys rejected', async () => {
    const check = async (raw: Record<string, unknown>) =>
      (
        await validate(plainToInstance(MatrixSettings, raw), {
          whitelist: true,
          forbidNonWhitelisted: true,
        })
      ).length;
    expect(await check({ mode: 'bot', syncTimeoutMs: 30000, autoJoin: false })).toBe(0);
    expect(await check({ mode: 'puppet' })).toBe(1);
    expect(await check({ syncTimeoutMs: -1 })).toBe(1);
    expect(await check({ unknown: 1 })).toBe(1);
  });
});
