import { createHmac } from 'node:crypto';
import { deriveStateKey, OAuthStateSigner } from './oauth-state';

describe('OAuthStateSigner', () => {
  const key = deriveStateKey('client-secret');
  let now = 1_000_000;
  const signer = new OAuthStateSigner(key, { ttlMs: 60_000, now: () => now });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('accepts its own state until it expires, then refuses it', () => {
    const state = signer.issue();
    expect(state).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(signer.verify(state)).toEqual({
      ok: true,
      nonce: expect.any(String) as string,
      expiresAt: new Date(1_060_000),
    });
    now += 59_999;
    expect(signer.verify(state).ok).toBe(true);
    now += 1;
    expect(signer.verify(state)).toEqual({ ok: false, reason: 'expired' });
  });

  it('issues a different random state each time', () => {
    expect(signer.issue()).not.toBe(signer.issue());
  });

  it('another process with the same secret verifies it (no shared storage)', () => {
    const other = new OAuthStateSigner(deriveStateKey('client-secret'), { now: () => now });
    expect(other.verify(signer.issue()).ok).toBe(true);
  });

  it('refuses a state signed with another key', () => {
    const foreign = new OAuthStateSigner(deriveStateKey('another-secret'), { now: () => now });
    expect(signer.verify(foreign.issue())).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a tampered payload (e.g. a later expiry) and a tampered signature', () => {
    const [version, , signature] = signer.issue().split('.');
    const forged = Buffer.from(JSON.stringify({ n: 'x', e: now + 10 ** 9 })).toString('base64url');
    expect(signer.verify(`${version}.${forged}.${signature}`)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const state = signer.issue();
    const flipped = state.slice(0, -2) + (state.endsWith('AA') ? 'BB' : 'AA');
    expect(signer.verify(flipped)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses missing and malformed states', () => {
    expect(signer.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(signer.verify('')).toEqual({ ok: false, reason: 'missing' });
    expect(signer.verify('garbage')).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify('v2.a.b')).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify('v1.a.b.c')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a correctly signed payload that is not a state', () => {
    const hmacOf = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
    const body = `v1.${Buffer.from('[1,2]').toString('base64url')}`;
    expect(signer.verify(`${body}.${hmacOf(body)}`)).toEqual({ ok: false, reason: 'malformed' });
  });
});
