import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Format version of the state token; part of the signed text. */
const VERSION = 'v1';
const NONCE_BYTES = 16;
const KEY_INFO = 'hubspot-oauth-install-state/v1';

/** Default lifetime of an install `state`: long enough to log in and approve at HubSpot. */
export const DEFAULT_STATE_TTL_MS = 10 * 60_000;

export type StateCheck =
  | { ok: true; nonce: string; expiresAt: Date }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' };

export interface OAuthStateOptions {
  ttlMs?: number;
  now?: () => number;
}

/**
 * The HMAC key of state tokens, derived (HKDF-SHA256) from a secret every gateway process shares,
 * e.g. the HubSpot client secret, so the raw secret itself never signs anything.
 */
export function deriveStateKey(secret: string | Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), KEY_INFO, 32));
}

/**
 * OAuth `state` without server-side storage: `v1.<payload>.<signature>` where payload is
 * base64url JSON `{n: random nonce, e: expiry in ms}` and signature is HMAC-SHA256 over
 * `v1.<payload>`. Any process holding the key can verify it, so installs work behind a load
 * balancer; a tampered, foreign or expired state is refused.
 */
export class OAuthStateSigner {
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly key: Buffer,
    options: OAuthStateOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_STATE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  issue(): string {
    const payload = {
      n: randomBytes(NONCE_BYTES).toString('base64url'),
      e: this.now() + this.ttlMs,
    };
    const body = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${this.sign(body)}`;
  }

  verify(state: string | undefined): StateCheck {
    if (!state) return { ok: false, reason: 'missing' };
    const parts = state.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
    const body = `${parts[0]}.${parts[1]}`;
    const given = Buffer.from(parts[2], 'base64url');
    const expected = Buffer.from(this.sign(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'bad-signature' };
    }
    const payload = parsePayload(parts[1]);
    if (!payload) return { ok: false, reason: 'malformed' };
    if (payload.e <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, nonce: payload.n, expiresAt: new Date(payload.e) };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function parsePayload(encoded: string): { n: string; e: number } | undefined {
  try {
    const raw: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (typeof raw !== 'object' || raw === null) return undefined;
    const { n, e } = raw as Record<string, unknown>;
    return typeof n === 'string' && typeof e === 'number' ? { n, e } : undefined;
  } catch {
    return undefined;
  }
}
