/**
 * The three Twilio credentials, checked for shape and normalised.
 */
import { InvalidCredentialsError, type Credentials } from '../../../../src/core/adapter';
import { toE164 } from '../../phone-number';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  /** E.164 number, or undefined when sending through a Messaging Service. */
  fromNumber?: string;
  messagingServiceSid?: string;
}

export function twilioCredentials(credentials: Credentials): TwilioCredentials {
  const accountSid = (credentials.accountSid ?? '').trim();
  const authToken = (credentials.authToken ?? '').trim();
  const from = (credentials.from ?? '').trim();
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new InvalidCredentialsError('The Account SID is "AC" followed by 32 hex characters');
  }
  if (authToken === '') throw new InvalidCredentialsError('The Auth Token is missing');
  if (/^MG[0-9a-fA-F]{32}$/.test(from)) return { accountSid, authToken, messagingServiceSid: from };
  const fromNumber = toE164(from);
  if (!fromNumber) {
    throw new InvalidCredentialsError(
      'The sender must be a phone number in international format (+15017122661) or a Messaging Service SID (MG...)',
    );
  }
  return { accountSid, authToken, fromNumber };
}
