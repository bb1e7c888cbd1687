/**
 * Picks the SMS provider named in the settings. A second provider adds a case here.
 */
import type { SmsSettings } from '../sms.settings';
import type { SmsProvider } from './sms-provider';
import { TwilioProvider } from './twilio/twilio-provider';

export function createSmsProvider(settings: SmsSettings): SmsProvider {
  switch (settings.provider ?? 'twilio') {
    case 'twilio':
      return new TwilioProvider({ apiBaseUrl: settings.apiBaseUrl });
  }
}
