import { Signature } from '@hubspot/api-client';
import {
  computeSignatureV3,
  decodeSignatureUri,
  MAX_SIGNATURE_AGE_MS,
  verifySignatureV3,
} from './hubspot-signature';

// Spec 7.4's worked example.
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URI = 'https://gw.example.com/hubspot/webhook?tenant=acme';
const BODY = '{"type":"OUTGOING_CHANNEL_MESSAGE_CREATED","portalId":123}';
const TIMESTAMP = '1700000000000';
const EXPECTED = 'NTDnNW40O0quP1YJ3nxKQ1YnUmp4+wXFSKLxisIG1Ow=';

const vector = { clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: TIMESTAMP };

describe('HubSpot signature v3', () => {
  it('computes the spec worked example', () => {
    expect(computeSignatureV3(vector)).toBe(EXPECTED);
    expect(computeSignatureV3({ ...vector, method: 'post', body: Buffer.from(BODY) })).toBe(
      EXPECTED,
    );
  });

  it('verifies the worked example within 5 minutes and refuses it after', () => {
    const now = Number(TIMESTAMP);
    const check = (nowMs: number, signature?: string) =>
      verifySignatureV3({ ...vector, signature, nowMs });
    expect(check(now, EXPECTED)).toEqual({ valid: true });
    expect(check(now + MAX_SIGNATURE_AGE_MS, EXPECTED)).toEqual({ valid: true });
    expect(check(now + MAX_SIGNATURE_AGE_MS + 1, EXPECTED)).toEqual({
      valid: false,
      reason: 'stale',
    });
    expect(check(now, undefined)).toEqual({ valid: false, reason: 'missing' });
    expect(check(now, EXPECTED.replace('N', 'M'))).toEqual({ valid: false, reason: 'mismatch' });
    expect(check(now, 'short')).toEqual({ valid: false, reason: 'mismatch' });
    expect(
      verifySignatureV3({ ...vector, timestamp: 'soon', signature: EXPECTED, nowMs: now }),
    ).toEqual({ valid: false, reason: 'bad-timestamp' });
  });

  it('refuses a changed body, URI or timestamp', () => {
    const nowMs = Number(TIMESTAMP);
    const verify = (changes: Partial<typeof vector>) =>
      verifySignatureV3({ ...vector, ...changes, signature: EXPECTED, nowMs }).valid;
    expect(verify({ body: BODY.replace('123', '124') })).toBe(false);
    expect(verify({ uri: URI.replace('acme', 'acne') })).toBe(false);
    expect(verify({ timestamp: '1700000000001' })).toBe(false);
    expect(verify({ clientSecret: 'other' })).toBe(false);
  });

  it('decodes only the spec table, case-insensitively, and keeps other escapes', () => {
    expect(
      decodeSignatureUri(
        'https://h/p%3a%3A%2F%2f%3F%40%21%24%27%28%29%2A%2C%3B?q=%20%3D%26%2B%25%7e',
      ),
    ).toBe("https://h/p:://?@!$'()*,;?q=%20%3D%26%2B%25%7e");
    const encoded = 'https://gw.example.com/hubspot/webhook?tenant=a%3Ab%40c%2Cd';
    expect(computeSignatureV3({ ...vector, uri: encoded })).toBe(
      computeSignatureV3({
        ...vector,
        uri: 'https://gw.example.com/hubspot/webhook?tenant=a:b@c,d',
      }),
    );
  });

  it('agrees with @hubspot/api-client Signature.isValid (given the decoded URI)', () => {
    const timestamp = Date.now();
    const uri = 'https://gw.example.com/hubspot/webhook?tenant=a%3Ab%28c%29&x=%20y';
    const signature = computeSignatureV3({ ...vector, uri, timestamp: String(timestamp) });
    const sdk = (candidate: string, ts = timestamp) =>
      Signature.isValid({
        signatureVersion: 'v3',
        signature: candidate,
        clientSecret: SECRET,
        requestBody: BODY,
        method: 'POST',
        url: decodeSignatureUri(uri),
        timestamp: ts,
      });
    expect(sdk(signature)).toBe(true);
    expect(sdk(signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);
    const stale = timestamp - MAX_SIGNATURE_AGE_MS - 1000;
    const staleSignature = computeSignatureV3({ ...vector, uri, timestamp: String(stale) });
    expect(() => sdk(staleSignature, stale)).toThrow('Timestamp is invalid');
    expect(
      verifySignatureV3({
        ...vector,
        uri,
        timestamp: String(stale),
        signature: staleSignature,
        nowMs: timestamp,
      }),
    ).toEqual({ valid: false, reason: 'stale' });
  });
});
