import { Signature } from '@hubspot/api-client';
import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import { decodeSignatureUri, signatureV3 } from './signature';
import {
  call,
  type Fixture,
  incoming,
  rec,
  type Receiver,
  setupChannel,
  startReceiver,
} from './test-helpers';

jest.setTimeout(30_000);

describe('HubSpot simulator: webhook signatures and retries', () => {
  let sim: HubSpotSimulator;
  let receiver: Receiver;
  let f: Fixture;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({
      port: 0,
      webhookRetryDelaysMs: [20, 40, 80],
      webhookTimeScale: 1,
      webhookTimeoutMs: 300,
    });
    receiver = await startReceiver();
    f = await setupChannel(sim, {
      webhookUrl: `${receiver.url}/hubspot/webhook?tenant=acme&x=a%3Ab`,
    });
  }, 60_000);
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('matches the worked example of spec 7.4', () => {
    const sig = signatureV3(
      'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
      'POST',
      'https://gw.example.com/hubspot/webhook?tenant=acme',
      '{"type":"OUTGOING_CHANNEL_MESSAGE_CREATED","portalId":123}',
      1700000000000,
    );
    expect(sig).toBe('NTDnNW40O0quP1YJ3nxKQ1YnUmp4+wXFSKLxisIG1Ow=');
    expect(decodeSignatureUri('https://h/p%3Fa%2Fb?q=%3a%40%2a%20')).toBe(
      'https://h/p?a/b?q=:@*%20',
    );
  });

  async function replyAndReceive(threadKey: string) {
    const published = rec(
      (
        await call(sim, 'POST', `/conversations/v3/custom-channels/${f.channelId}/messages`, {
          token: f.token,
          body: incoming(f, { integrationThreadId: threadKey }),
        })
      ).body,
    );
    const { message, delivery } = sim.control.agentReply(String(published.conversationsThreadId), {
      text: `reply ${threadKey} äöü €`,
    });
    await sim.waitForWebhooks();
    return {
      message,
      delivery,
      requests: receiver.received.filter((r) => r.body.includes(message.id)),
    };
  }

  it('signs deliveries so that @hubspot/api-client Signature.isValid (v3) accepts them', async () => {
    const { requests } = await replyAndReceive('sig-1');
    expect(requests).toHaveLength(1);
    const r = requests[0];
    expect(r.headers['content-type']).toContain('application/json');
    const timestamp = Number(r.headers['x-hubspot-request-timestamp']);
    expect(Math.abs(Date.now() - timestamp)).toBeLessThan(60_000);
    // The SDK does not apply the decode table itself: pass it the decoded URI (toolchain.md).
    const url = decodeSignatureUri(`${receiver.url}${r.url}`);
    const valid = Signature.isValid({
      signatureVersion: 'v3',
      signature: String(r.headers['x-hubspot-signature-v3']),
      clientSecret: sim.app.clientSecret,
      method: 'POST',
      url,
      requestBody: r.body,
      timestamp,
    });
    expect(valid).toBe(true);
    const tampered = Signature.isValid({
      signatureVersion: 'v3',
      signature: String(r.headers['x-hubspot-signature-v3']),
      clientSecret: sim.app.clientSecret,
      method: 'POST',
      url,
      requestBody: r.body.replace('reply', 'REPLY'),
      timestamp,
    });
    expect(tampered).toBe(false);
  });

  it('retries on 500 (re-signing each attempt) until a 2xx', async () => {
    receiver.script = [500, 503];
    const { delivery, requests } = await replyAndReceive('retry-1');
    expect(delivery.state).toBe('DELIVERED');
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      expect(
        Signature.isValid({
          signatureVersion: 'v3',
          signature: String(r.headers['x-hubspot-signature-v3']),
          clientSecret: sim.app.clientSecret,
          url: decodeSignatureUri(`${receiver.url}${r.url}`),
          requestBody: r.body,
          timestamp: Number(r.headers['x-hubspot-request-timestamp']),
        }),
      ).toBe(true);
    }
  });

  it('does not retry 400/401/403/404/405 and gives up after the schedule', async () => {
    receiver.script = [404];
    const notFound = await replyAndReceive('noretry');
    expect(notFound.delivery.state).toBe('FAILED');
    expect(notFound.requests).toHaveLength(1);
    receiver.script = [500, 500, 500, 500];
    const gaveUp = await replyAndReceive('giveup');
    expect(gaveUp.delivery.state).toBe('GAVE_UP');
    expect(gaveUp.requests).toHaveLength(4);
    receiver.script = [];
  });

  it('retries when the receiver times out', async () => {
    let slow = 1;
    receiver.handler = async (_req, res) => {
      if (slow-- > 0) {
        await new Promise((r) => setTimeout(r, 600));
        res.end('late');
        return true;
      }
      return false;
    };
    const { delivery } = await replyAndReceive('timeout');
    receiver.handler = undefined;
    expect(delivery.state).toBe('DELIVERED');
    expect(delivery.attempts[0].error).toMatch(/timeout/);
    expect(delivery.attempts).toHaveLength(2);
  });

  it('retries a 429 no earlier than its Retry-After', async () => {
    let first = true;
    receiver.handler = (_req, res) => {
      if (!first) return false;
      first = false;
      res.statusCode = 429;
      res.setHeader('Retry-After', '1');
      res.end();
      return true;
    };
    const { delivery } = await replyAndReceive('ratelimited');
    receiver.handler = undefined;
    expect(delivery.attempts.map((a) => a.status)).toEqual([429, 200]);
    const gap = Date.parse(delivery.attempts[1].at) - Date.parse(delivery.attempts[0].at);
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('records deliveries in the control API state', async () => {
    const hooks = (await call(sim, 'GET', '/__sim/webhooks')).body as {
      eventType: string;
      attempts: unknown[];
    }[];
    expect(hooks.length).toBeGreaterThan(0);
    expect(hooks.every((h) => h.eventType === 'OUTGOING_CHANNEL_MESSAGE_CREATED')).toBe(true);
  });

  it('refuses to deliver to non-loopback hosts', async () => {
    const g = await setupChannel(sim, { webhookUrl: 'https://gw.example.com/hook' });
    const p = rec(
      (
        await call(sim, 'POST', `/conversations/v3/custom-channels/${g.channelId}/messages`, {
          token: g.token,
          body: incoming(g),
        })
      ).body,
    );
    const { delivery } = sim.control.agentReply(String(p.conversationsThreadId), { text: 'x' });
    expect(delivery.state).toBe('REFUSED');
  });
});
