/**
 * Settings of the `adapters.telegram` config section.
 */
import { IsIn, IsInt, IsNumber, IsOptional, IsUrl, Max, Min } from 'class-validator';

export type TelegramReceiveMode = 'webhook' | 'polling';

export class TelegramSettings {
  /**
   * How updates arrive: a webhook at the account's webhook URL or getUpdates polling. Default:
   * webhook when PUBLIC_URL is https (Telegram's requirement), polling otherwise.
   */
  @IsOptional()
  @IsIn(['webhook', 'polling'])
  mode?: TelegramReceiveMode;

  /** Bot API root, without a trailing slash (default https://api.telegram.org). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  apiRoot?: string;

  /** getUpdates long-poll timeout in seconds (polling mode; default 30). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  pollingTimeoutSeconds?: number;

  /** Pause after a failed getUpdates before the next try, in ms (default 3000). */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(600_000)
  pollingRetryDelayMs?: number;

  /** How long album (media group) items are collected before one event is emitted (default 800). */
  @IsOptional()
  @IsInt()
  @Min(50)
  @Max(10_000)
  mediaGroupWaitMs?: number;

  /**
   * Flood limits the adapter keeps per bot so that sends wait for their slot instead of hitting
   * 429s. Defaults are Telegram's published ones: 30 messages/s per bot, 1/s per chat, 20/minute
   * per group. Lower them to stay clear of Telegram's own; raise `botMessagesPerSecond` only with
   * paid broadcasts.
   */
  @IsOptional()
  @IsNumber()
  @Min(0.1)
  @Max(1000)
  botMessagesPerSecond?: number;

  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(100)
  chatMessagesPerSecond?: number;

  @IsOptional()
  @IsNumber()
  @Min(0.1)
  @Max(6000)
  groupMessagesPerMinute?: number;
}
