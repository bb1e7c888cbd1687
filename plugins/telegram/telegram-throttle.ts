/**
 * A grammY transformer that puts every message-sending call of one bot through its
 * TelegramRateLimiter: the call waits for its slot (up to `maxWaitMs`; a longer wait goes back
 * to the gateway's queue as RateLimitedError), and a 429 from Telegram pauses the whole bot for
 * its `retry_after` before the error reaches the caller (RateLimitedError: the queue retries the
 * job after that time, while the bot's other sends wait for the pause here).
 */
import type { Transformer } from 'grammy';
import { RateLimitedError } from '../../src/core/adapter';
import type { TelegramRateLimiter } from './telegram-rate-limiter';

/** Calls that post a message and count against Telegram's flood limits. */
const SEND_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendAudio',
  'sendVoice',
  'sendVideo',
  'sendAnimation',
  'sendVideoNote',
  'sendSticker',
  'sendMediaGroup',
  'sendLocation',
  'sendVenue',
  'sendContact',
  'sendPoll',
  'sendDice',
  'forwardMessage',
  'copyMessage',
]);

/**
 * Longest wait for a slot inside a call: covers a private chat's next second and a group's next
 * 3 s. Longer waits (a 429's pause, lowered limits) go back to the queue as RateLimitedError;
 * shorter ones are cheaper here, since a job retried by the queue queues up behind every job
 * that became ready meanwhile.
 */
export const MAX_SLOT_WAIT_MS = 5000;

export function throttleSends(
  limiter: TelegramRateLimiter,
  maxWaitMs = MAX_SLOT_WAIT_MS,
): Transformer {
  return async (prev, method, payload, signal) => {
    if (!SEND_METHODS.has(method)) return prev(method, payload, signal);
    const chatId = String((payload as { chat_id?: unknown }).chat_id ?? '');
    const slot = limiter.reserveChat(chatId, maxWaitMs);
    if ('tooLong' in slot) {
      throw new RateLimitedError(
        `Telegram flood limit of this bot: next slot for chat ${chatId} in ` +
          `${Math.ceil(slot.tooLong / 1000)} s`,
        slot.tooLong,
      );
    }
    await sleep(slot.waitMs, signal);
    await sleep(limiter.reserveBot(chatId), signal);
    const response = await prev(method, payload, signal);
    if (!response.ok && response.error_code === 429) {
      limiter.pause((response.parameters?.retry_after ?? 1) * 1000);
    }
    return response;
  };
}

/** grammY's signal type (an abort-controller polyfill's); only what the wait needs. */
interface AbortSignalLike {
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(new Error('the Telegram call was aborted while waiting for its rate-limit slot'));
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
