/**
 * Settings of the `adapters.sms` config section.
 */
import { IsIn, IsNumber, IsOptional, IsUrl, Max, Min } from 'class-validator';

export const SMS_PROVIDERS = ['twilio'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** US/CA long code: 1 segment per second (Twilio's sender queue rate). */
export const DEFAULT_MESSAGES_PER_SECOND = 1;
export const MIN_MESSAGES_PER_SECOND = 0.01;
export const MAX_MESSAGES_PER_SECOND = 10000;

export class SmsSettings {
  /** The SMS provider; only Twilio so far. */
  @IsOptional()
  @IsIn(SMS_PROVIDERS)
  provider?: SmsProviderName;

  /**
   * Base URL of the provider's REST API instead of the real one (`https://api.twilio.com`):
   * tests and simulators only. Basic auth for media downloads is only sent to this host.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  apiBaseUrl?: string;

  /**
   * Segments per second per sender (default 1, a US/CA long code; toll-free ~3, short code 100+,
   * 10DLC per campaign). Sends beyond a 10 s burst are deferred with RateLimitedError.
   */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_MESSAGES_PER_SECOND)
  @Max(MAX_MESSAGES_PER_SECOND)
  messagesPerSecond?: number;
}

/** The key of an account's own sending rate in its settings (a toll-free or short-code number). */
export const ACCOUNT_RATE_SETTING = 'messagesPerSecond';

/**
 * The sending rate an account asks for in its own settings, when it is a valid rate (the same
 * bounds as `messagesPerSecond`); undefined when it sets none or an invalid one.
 */
export function accountMessagesPerSecond(
  settings: Readonly<Record<string, unknown>>,
): number | undefined {
  const value = settings[ACCOUNT_RATE_SETTING];
  return typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= MIN_MESSAGES_PER_SECOND &&
    value <= MAX_MESSAGES_PER_SECOND
    ? value
    : undefined;
}
