import type { Response } from 'express';
import type { TwilioApiError } from './errors';

export function sendTwilioError(res: Response, error: TwilioApiError): void {
  res.locals.twilioErrorCode = error.code;
  if (error.status === 401) res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
  res.status(error.status).json(error.toBody());
}
