/**
 * Maps grammY errors (GrammyError: Telegram answered ok:false; HttpError: the network failed) to
 * the gateway's typed errors.
 */
import { GrammyError, HttpError } from 'grammy';
import {
  InvalidCredentialsError,
  PermanentError,
  RateLimitedError,
  RetryableError,
  type GatewayError,
} from '../../src/core/adapter';

/** Human-readable reasons for the descriptions agents will meet most. */
const REASONS: [RegExp, string][] = [
  [/bot was blocked by the user/i, 'The customer blocked the Telegram bot'],
  [/user is deactivated/i, 'The customer deleted their Telegram account'],
  [/chat not found/i, 'The Telegram conversation no longer exists (chat not found)'],
  [/bot was kicked/i, 'The bot was removed from the Telegram group'],
  [/bot is not a member/i, 'The bot is not a member of the Telegram group'],
  [/can't initiate conversation/i, 'The customer has not started a conversation with the bot'],
  [/file is too big/i, 'file too large for the Telegram Bot API (20 MB limit)'],
  [/Request Entity Too Large/i, 'The attachment is too large for Telegram (50 MB upload limit)'],
];

/** The supergroup id Telegram asks us to use instead, when a group was upgraded. */
export function migrateToChatId(error: unknown): number | undefined {
  return error instanceof GrammyError ? error.parameters.migrate_to_chat_id : undefined;
}

export function isDescribed(error: unknown, pattern: RegExp): boolean {
  return error instanceof GrammyError && pattern.test(error.description);
}

/** Any error thrown while calling Telegram, as a gateway error (non-Telegram errors pass through). */
export function mapTelegramError(error: unknown): GatewayError | unknown {
  if (error instanceof HttpError) {
    return new RetryableError(`Telegram could not be reached: ${error.message}`, undefined, {
      cause: error,
    });
  }
  if (!(error instanceof GrammyError)) return error;
  const code = String(error.error_code);
  const description = error.description;
  if (error.error_code === 429) {
    const seconds = error.parameters.retry_after ?? 1;
    return new RateLimitedError(`Telegram rate limit: ${description}`, seconds * 1000, {
      cause: error,
    });
  }
  if (error.error_code >= 500) {
    return new RetryableError(`Telegram server error: ${description}`, undefined, {
      cause: error,
    });
  }
  if (error.error_code === 401) {
    return new InvalidCredentialsError(`Telegram rejected the bot token: ${description}`, {
      cause: error,
      code,
    });
  }
  const known = REASONS.find(([pattern]) => pattern.test(description));
  const reason = known ? known[1] : `Telegram refused the request: ${description}`;
  return new PermanentError(reason, { cause: error, code });
}

/** Runs a Telegram call and rethrows its failure as a gateway error. */
export async function telegramCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapTelegramError(error);
  }
}
