/**
 * X-Twilio-Signature check with the official helper, over the PUBLIC URL Twilio called (behind a
 * reverse proxy the local URL differs: scheme, host, path prefix) and every parameter received.
 */
import twilio from 'twilio';
import type { AdapterWebhookRequest } from '../../../../src/core/adapter';
import { twilioParams } from './twilio-webhook-params';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

export function verifyTwilioSignature(authToken: string, request: AdapterWebhookRequest): boolean {
  const signature = headerValue(request, TWILIO_SIGNATURE_HEADER);
  if (!authToken || !signature) return false;
  // GET webhooks are signed over the URL alone (the parameters are in its query string).
  const params = request.method.toUpperCase() === 'GET' ? {} : twilioParams(request);
  try {
    return twilio.validateRequest(authToken, signature, request.publicUrl, params);
  } catch {
    return false;
  }
}

function headerValue(request: AdapterWebhookRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === name && value) return value;
  }
  return undefined;
}
