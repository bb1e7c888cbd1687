/**
 * Webhook signatures of the Echo platform: `x-echo-signature: sha256=<hex HMAC-SHA256 of the raw
 * body>` with the secret the adapter registered with the webhook.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

export function signEchoWebhook(secret: string, rawBody: Buffer | string): string {
  return PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time check of a signature header against the raw body. */
export function verifyEchoWebhook(
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!header || !header.startsWith(PREFIX)) return false;
  const expected = Buffer.from(signEchoWebhook(secret, rawBody));
  const actual = Buffer.from(header);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
