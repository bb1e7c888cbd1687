/**
 * The parameters of a Twilio webhook: the form-encoded raw body of a POST (every key kept, even
 * empty and unknown ones, repeated keys as lists), or the query string of a GET.
 */
import type { AdapterWebhookRequest } from '../../../../src/core/adapter';

export type TwilioParams = Record<string, string | string[]>;

export function twilioParams(request: AdapterWebhookRequest): TwilioParams {
  if (request.method.toUpperCase() === 'GET') return { ...request.query };
  const params: TwilioParams = {};
  for (const [name, value] of new URLSearchParams(request.rawBody.toString('utf8'))) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else params[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/** The first value of a parameter, or undefined. */
export function param(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}
