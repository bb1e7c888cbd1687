/**
 * Webhook mode: the per-account secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token,
 * and parsing of the update body.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Update } from 'grammy/types';
import type { AccountContext } from '../../src/core/adapter';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
export const SECRET_KEY = 'webhookSecret';

/** The account's secret, created (1-256 chars of A-Za-z0-9_-) and stored on first use. */
export async function webhookSecret(account: AccountContext): Promise<string> {
  const existing = await account.state.get<string>(SECRET_KEY);
  if (existing) return existing;
  const secret = randomBytes(32).toString('base64url');
  await account.state.set(SECRET_KEY, secret);
  return secret;
}

/** Constant-time comparison of the header with the stored secret. */
export function secretMatches(expected: string | undefined, received: string | undefined): boolean {
  if (!expected || !received) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(received));
}

export function parseUpdate(rawBody: Buffer): Update | undefined {
  try {
    const value: unknown = JSON.parse(rawBody.toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const updateId = (value as { update_id?: unknown }).update_id;
    return typeof updateId === 'number' ? (value as Update) : undefined;
  } catch {
    return undefined;
  }
}
