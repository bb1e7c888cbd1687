import twilio from 'twilio';
import type { AdapterWebhookRequest } from '../../../src/core/adapter';
import { verifyTwilioSignature } from '../providers/twilio/twilio-signature';

const TOKEN = '12345';

function request(
  publicUrl: string,
  params: Record<string, string>,
  signature?: string,
): AdapterWebhookRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (signature !== undefined) headers['x-twilio-signature'] = signature;
  return {
    method: 'POST',
    subPath: '/inbound',
    publicUrl,
    headers,
    query: {},
    rawBody: Buffer.from(new URLSearchParams(params).toString()),
  };
}

describe('X-Twilio-Signature', () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };

  it("accepts the spec's test vector", () => {
    expect(verifyTwilioSignature(TOKEN, request(url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ='))).toBe(
      true,
    );
  });

  it('accepts signatures computed by twilio-node over every received parameter', () => {
    const all = { ...params, Body: 'Héllo + & = 😀', NewParamTwilioAdded: '', MediaUrl0: 'x' };
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, all);
    expect(verifyTwilioSignature(TOKEN, request(url, all, signature))).toBe(true);
  });

  it('rejects a missing, wrong-token, tampered or other-URL request', () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, params);
    expect(verifyTwilioSignature(TOKEN, request(url, params))).toBe(false);
    expect(verifyTwilioSignature('other', request(url, params, signature))).toBe(false);
    expect(verifyTwilioSignature(TOKEN, request(url, { ...params, Digits: '9' }, signature))).toBe(
      false,
    );
    expect(
      verifyTwilioSignature(TOKEN, request(url.replace('https', 'http'), params, signature)),
    ).toBe(false);
    expect(verifyTwilioSignature('', request(url, params, signature))).toBe(false);
  });

  it('checks the public URL behind a reverse proxy, not the local one', () => {
    // Twilio called https://gateway.example.com/sms-gw/adapters/...; TLS ended at the proxy, which
    // stripped /sms-gw and forwarded to http://10.0.0.5:3000/adapters/...
    const publicUrl = 'https://gateway.example.com/sms-gw/adapters/sms/acc-1/inbound';
    const localUrl = 'http://10.0.0.5:3000/adapters/sms/acc-1/inbound';
    const signature = twilio.getExpectedTwilioSignature(TOKEN, publicUrl, params);
    expect(verifyTwilioSignature(TOKEN, request(publicUrl, params, signature))).toBe(true);
    expect(verifyTwilioSignature(TOKEN, request(localUrl, params, signature))).toBe(false);
  });

  it('signs GET webhooks over the URL alone', () => {
    const getUrl = 'https://gw.example.com/adapters/sms/a/inbound?From=%2B1555&Body=hi';
    const signature = twilio.getExpectedTwilioSignature(TOKEN, getUrl, {});
    const get: AdapterWebhookRequest = {
      ...request(getUrl, {}, signature),
      method: 'GET',
      rawBody: Buffer.alloc(0),
      query: { From: '+1555', Body: 'hi' },
    };
    expect(verifyTwilioSignature(TOKEN, get)).toBe(true);
  });
});
