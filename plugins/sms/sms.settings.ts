/**
 * Settings of the `adapters.sms` config section.
 */
import { IsIn, IsNumber, IsOptional, IsUrl, Max, Min } from 'class-validator';

export const SMS_PROVIDERS = ['twilio'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** US/CA long code: 1 segment per second (Twilio's sender queue rate). */
export const DEFAULT_MESSAGES_PER_SECOND = 1;

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
  @Min(0.01)
  @Max(10000)
  messagesPerSecond?: number;
}
