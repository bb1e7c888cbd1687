import { Readable } from 'node:stream';
import {
  InvalidCredentialsError,
  PermanentError,
  RetryableError,
  type AdapterWebhookRequest,
  type OutboundMessage,
} from '../../../src/core/adapter';
import { InMemoryAccountContext, RecordingLogger, WebhookRelay } from '../../../test/conformance';
import { EchoAdapter } from '../echo.adapter';
import { EchoPlatformServer } from '../echo-platform-server';
import type { EchoSettings } from '../echo.settings';
import { signEchoWebhook } from '../echo-webhook-signature';

describe(EchoAdapter.name, () => {
  const server = new EchoPlatformServer();
  let relay: WebhookRelay;
  let sut: EchoAdapter | undefined;
  let count = 0;

  beforeAll(async () => {
    await server.start();
    relay = new WebhookRelay('echo', () => sut);
    await relay.start();
  });
  afterEach(async () => sut?.shutdown());
  afterAll(async () => {
    await relay.stop();
    await server.stop();
  });

  const adapter = (settings: EchoSettings = {}) => {
    sut = new EchoAdapter({
      settings: { platformUrl: server.url, ...settings },
      publicUrl: relay.url,
      logger: new RecordingLogger(),
    });
    return sut;
  };

  const account = () => {
    const info = server.platform.createAccount();
    const accountId = `acc-${++count}`;
    const context = new InMemoryAccountContext({
      accountId,
      credentials: { token: info.token },
      webhookUrl: relay.webhookUrl(accountId),
    });
    relay.register(context);
    return { info, context };
  };

  const message = (text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
    idempotencyKey: `key-${++count}`,
    conversation: { externalId: 'chat-customer-1' },
    text,
    attachments: [],
    ...extra,
  });

  describe('handleWebhook', () => {
    const update = Buffer.from(
      JSON.stringify({
        update_id: 1,
        account_id: 'bot-x',
        type: 'message',
        message: {
          message_id: 'msg-1',
          chat: { id: 'chat-1', type: 'private' },
          from: { id: 'c1', name: 'Ana' },
          text: 'hi',
          attachments: [],
          date: '2026-11-28T10:00:00.000Z',
        },
      }),
    );
    const request = (signature?: string, rawBody = update): AdapterWebhookRequest => ({
      method: 'POST',
      subPath: '',
      publicUrl: 'http://gateway.test/adapters/echo/acc',
      headers: { 'x-echo-signature': signature },
      query: {},
      rawBody,
    });

    it('emits the mapped update when the signature matches', async () => {
      const sut = adapter();
      const { context } = account();
      await sut.startReceiving(context);
      const secret = (await context.state.get<string>('webhookSecret')) ?? '';
      const response = await sut.handleWebhook(context, request(signEchoWebhook(secret, update)));
      expect(response.status).toBe(200);
      expect(context.emitted).toEqual([
        expect.objectContaining({
          eventId: 'echo:bot-x:1',
          externalMessageId: 'msg-1',
          text: 'hi',
        }),
      ]);
    });

    it.each([
      ['no signature', () => undefined],
      ['a signature with another secret', () => signEchoWebhook('other', update)],
      ['a malformed signature', () => 'sha256=zz'],
    ])('answers 401 and emits nothing for %s', async (_name, signature) => {
      const sut = adapter();
      const { context } = account();
      await sut.startReceiving(context);
      const response = await sut.handleWebhook(context, request(signature()));
      expect(response.status).toBe(401);
      expect(context.emitted).toEqual([]);
    });

    it('answers 401 before receiving ever started (no secret yet)', async () => {
      const { context } = account();
      const response = await adapter().handleWebhook(context, request('sha256=00'));
      expect(response.status).toBe(401);
    });

    it('handles a webhook in a process that does not receive for the account (standby)', async () => {
      // Another gateway process holds the account's lease; the load balancer sent it here.
      const receiver = adapter();
      const standby = adapter();
      const { context } = account();
      await receiver.startReceiving(context);
      const secret = (await context.state.get<string>('webhookSecret')) ?? '';
      const response = await standby.handleWebhook(
        context,
        request(signEchoWebhook(secret, update)),
      );
      expect(response.status).toBe(200);
      expect(context.emitted).toHaveLength(1);
      await receiver.stopReceiving(context.accountId);
    });

    it('answers 400 to a signed body that is not an update', async () => {
      const sut = adapter();
      const { context } = account();
      await sut.startReceiving(context);
      const secret = (await context.state.get<string>('webhookSecret')) ?? '';
      const body = Buffer.from('{"hello":1}');
      const response = await sut.handleWebhook(
        context,
        request(signEchoWebhook(secret, body), body),
      );
      expect(response.status).toBe(400);
    });

    it('keeps the webhook secret across restarts', async () => {
      const sut = adapter();
      const { context } = account();
      await sut.startReceiving(context);
      const secret = await context.state.get<string>('webhookSecret');
      await sut.stopReceiving(context.accountId);
      await sut.startReceiving(context);
      expect(await context.state.get<string>('webhookSecret')).toBe(secret);
    });
  });

  describe('validateCredentials', () => {
    it('rejects a malformed token without asking the platform', async () => {
      await expect(
        adapter({ platformUrl: 'http://127.0.0.1:9' }).validateCredentials({ token: 'x' }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError);
    });

    it('trims the token and hands back the trimmed one', async () => {
      const { info } = account();
      const identity = await adapter().validateCredentials({ token: ` ${info.token} ` });
      expect(identity).toEqual({
        displayName: info.name,
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: info.id },
        normalizedCredentials: { token: info.token },
      });
    });

    it('maps an unreachable platform to RetryableError', async () => {
      await expect(
        adapter({ platformUrl: 'http://127.0.0.1:9' }).validateCredentials({
          token: 'echo_0123456789',
        }),
      ).rejects.toBeInstanceOf(RetryableError);
    });

    it('starts an in-process platform that accepts any echo_ token when platformUrl is unset', async () => {
      sut = new EchoAdapter({ settings: {}, publicUrl: relay.url, logger: new RecordingLogger() });
      const identity = await sut.validateCredentials({ token: 'echo_demo_account' });
      expect(identity.deliveryIdentifier.value).toMatch(/^bot-/);
      expect(await sut.platformUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });
  });

  describe('send', () => {
    const startWithCustomer = async (sut: EchoAdapter) => {
      const { info, context } = account();
      await sut.startReceiving(context);
      await server.platform.customerSends(info.id, { text: 'hi' });
      return { info, context };
    };

    it('fails permanently when the text matches failSendsMatching', async () => {
      const sut = adapter({ failSendsMatching: '^FAIL' });
      const { context } = await startWithCustomer(sut);
      const error = await sut.send(context, message('FAIL please')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).code).toBe('fail_sends_matching');
    });

    it('lets the simulated customer answer with autoReply', async () => {
      const sut = adapter({ autoReply: true });
      const { context } = await startWithCustomer(sut);
      const { externalMessageIds } = await sut.send(context, message('ping'));
      const echo = await context.waitForEvent(
        (e) => e.type === 'message' && e.text === 'Echo: ping',
      );
      expect(echo).toMatchObject({ inReplyToExternalId: externalMessageIds[0] });
    });

    it("emits the customer's phone and email, also on the auto reply of the same customer", async () => {
      const sut = adapter({ autoReply: true });
      const { info, context } = account();
      await sut.startReceiving(context);
      await server.platform.customerSends(info.id, {
        customer: { id: 'c-77', name: 'Zoe', phone: '+4915112345678', email: 'zoe@example.com' },
        text: 'call me',
      });
      const first = await context.waitForEvent((e) => e.type === 'message' && e.text === 'call me');
      const known = {
        id: 'c-77',
        displayName: 'Zoe',
        phone: '+4915112345678',
        email: 'zoe@example.com',
      };
      expect(first).toMatchObject({ sender: known });
      await sut.send(context, { ...message('ping'), conversation: { externalId: 'chat-c-77' } });
      const echo = await context.waitForEvent(
        (e) => e.type === 'message' && e.text === 'Echo: ping',
      );
      expect(echo).toMatchObject({ sender: known });
    });

    it('sends more attachments than one message takes as several messages', async () => {
      const sut = adapter();
      const { info, context } = await startWithCustomer(sut);
      const attachments = Array.from({ length: 12 }, (_, i) => ({
        kind: 'file' as const,
        fileName: `f${i}.txt`,
        mimeType: 'text/plain',
        open: async () => Readable.from([Buffer.from(`file ${i}`)]),
      }));
      const { externalMessageIds } = await sut.send(context, message('files', { attachments }));
      expect(externalMessageIds).toHaveLength(2);
      const sent = server.platform.sentMessages(info.id);
      expect(sent.map((m) => m.attachments.length)).toEqual([10, 2]);
      expect(sent[0].text).toBe('files');
    });

    it('refuses an attachment over 10 MB as a permanent failure', async () => {
      const sut = adapter();
      const { context } = await startWithCustomer(sut);
      const big = {
        kind: 'video' as const,
        fileName: 'big.mp4',
        mimeType: 'video/mp4',
        open: async () => Readable.from([Buffer.alloc(10 * 1024 * 1024 + 1)]),
      };
      await expect(sut.send(context, message('', { attachments: [big] }))).rejects.toThrow(
        /larger than/,
      );
    });

    it('maps a platform 5xx to RetryableError and a retried send to the same message', async () => {
      const sut = adapter();
      const { info, context } = await startWithCustomer(sut);
      server.platform.injectFault(info.id, { type: 'server_error' });
      const reply = message('retry me');
      await expect(sut.send(context, reply)).rejects.toBeInstanceOf(RetryableError);
      const first = await sut.send(context, reply);
      expect(await sut.send(context, reply)).toEqual(first);
      expect(server.platform.sentMessages(info.id)).toHaveLength(1);
    });

    it('refuses an empty message as a permanent failure', async () => {
      const sut = adapter();
      const { context } = await startWithCustomer(sut);
      await expect(sut.send(context, message(' '))).rejects.toBeInstanceOf(PermanentError);
    });

    it('maps an unknown conversation to a PermanentError with a reason', async () => {
      const sut = adapter();
      const { context } = await startWithCustomer(sut);
      const error = await sut
        .send(context, message('x', { conversation: { externalId: 'chat-gone' } }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).reason).toBe('The Echo conversation no longer exists');
    });
  });
});
