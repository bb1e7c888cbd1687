import type { SecretCipher } from '../../core/crypto/secret-cipher';

/** What HubSpot handed to the popup (spec 4.3), plus the portal the gateway resolved. */
export interface ConnectFlow {
  adapterId: string;
  accountToken: string;
  channelId: string;
  redirectUrl: string;
  portalId: string;
}

/** The hidden form field was changed, forged, issued for another adapter or is too old. */
export class InvalidConnectFormTokenError extends Error {}

interface SealedPayload extends ConnectFlow {
  /** Expiry, epoch milliseconds. */
  exp: number;
}

/** One hour: plenty to look up a bot token, short enough that a leaked page goes stale. */
export const CONNECT_FORM_TTL_MS = 60 * 60 * 1000;

function aad(adapterId: string): string {
  return `hubspot-connect-form:${adapterId}`;
}

function isPayload(value: unknown): value is SealedPayload {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    ['adapterId', 'accountToken', 'channelId', 'redirectUrl', 'portalId'].every(
      (key) => typeof record[key] === 'string',
    ) && typeof record.exp === 'number'
  );
}

/**
 * Tamper protection of the popup's hidden state. The flow (accountToken, channelId, redirectUrl,
 * portalId) travels in one hidden field, sealed with the gateway's SecretCipher (AES-256-GCM):
 * changing any byte, reusing it for another adapter (the adapter id is authenticated data) or
 * submitting it after its expiry fails. The staging token is also not readable in the page source.
 */
export class ConnectFormTokens {
  constructor(
    private readonly cipher: SecretCipher,
    private readonly ttlMs = CONNECT_FORM_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  seal(flow: ConnectFlow): string {
    const payload: SealedPayload = { ...flow, exp: this.now() + this.ttlMs };
    return this.cipher.encrypt(JSON.stringify(payload), aad(flow.adapterId));
  }

  open(token: string, adapterId: string): ConnectFlow {
    let payload: unknown;
    try {
      payload = JSON.parse(this.cipher.decrypt(token, aad(adapterId)));
    } catch {
      throw new InvalidConnectFormTokenError('the form was changed or does not belong here');
    }
    if (!isPayload(payload) || payload.adapterId !== adapterId) {
      throw new InvalidConnectFormTokenError('the form was changed or does not belong here');
    }
    if (payload.exp < this.now()) {
      throw new InvalidConnectFormTokenError('the form expired');
    }
    const { exp: _exp, ...flow } = payload;
    return flow;
  }
}
