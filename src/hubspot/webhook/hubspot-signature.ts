import { createHmac, timingSafeEqual } from 'node:crypto';

/** Spec 7.4 step 1: timestamps older than this are refused (the official SDKs' constant). */
export const MAX_SIGNATURE_AGE_MS = 300_000;

/** Spec 7.4 step 3: only these percent-encodings are decoded before hashing (case-insensitive). */
const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** Applies the spec's decoding table to the URI HubSpot called; other escapes stay as they are. */
export function decodeSignatureUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (escape) => DECODED[escape.toUpperCase()] ?? escape,
  );
}

export interface SignatureV3Input {
  clientSecret: string;
  method: string;
  /** The full public URI HubSpot called (scheme, host, path, query), not yet decoded. */
  uri: string;
  /** The raw request body, byte for byte. */
  body: Buffer | string;
  /** `X-HubSpot-Request-Timestamp` as sent (epoch milliseconds). */
  timestamp: string;
}

/** base64(HMAC-SHA256(clientSecret, METHOD + decoded URI + raw body + timestamp)). */
export function computeSignatureV3(input: SignatureV3Input): string {
  return createHmac('sha256', input.clientSecret)
    .update(input.method.toUpperCase() + decodeSignatureUri(input.uri), 'utf8')
    .update(typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body)
    .update(input.timestamp, 'utf8')
    .digest('base64');
}

export type SignatureCheck =
  { valid: true } | { valid: false; reason: 'missing' | 'bad-timestamp' | 'stale' | 'mismatch' };

export interface VerifySignatureV3Input extends SignatureV3Input {
  /** `X-HubSpot-Signature-v3`. */
  signature: string | undefined;
  nowMs: number;
}

/** Checks the timestamp's age (spec 7.4 step 1), then the signature in constant time. */
export function verifySignatureV3(input: VerifySignatureV3Input): SignatureCheck {
  if (!input.signature || !input.timestamp) return { valid: false, reason: 'missing' };
  if (!/^\d{1,16}$/.test(input.timestamp)) return { valid: false, reason: 'bad-timestamp' };
  if (input.nowMs - Number(input.timestamp) > MAX_SIGNATURE_AGE_MS) {
    return { valid: false, reason: 'stale' };
  }
  const expected = Buffer.from(computeSignatureV3(input), 'utf8');
  const given = Buffer.from(input.signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { valid: false, reason: 'mismatch' };
  }
  return { valid: true };
}
