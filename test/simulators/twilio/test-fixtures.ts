import { startTwilioSimulator, type TwilioSimulator } from './simulator';
import type { TwilioSimulatorOptions } from './options';
import type { Account, PhoneNumber } from './types';

/** Shared set-up for the simulator's own specs: compressed timing, one account, two numbers. */

export const FAST_TIMING = {
  queuedToSendingMs: 5,
  sendingToSentMs: 5,
  sentToDeliveredMs: 5,
  deliveredToReadMs: 5,
  acceptedToQueuedMs: 5,
  timeScale: 0.001,
};

export const CUSTOMER = '+15558675310';
export const SMS_NUMBER = '+15017122661';
export const MMS_NUMBER = '+15017122662';

export interface Fixture {
  sim: TwilioSimulator;
  account: Account;
  sms: PhoneNumber;
  mms: PhoneNumber;
}

export async function startFixture(
  options: TwilioSimulatorOptions = {},
  smsUrl: string | null = null,
): Promise<Fixture> {
  const sim = await startTwilioSimulator({ timing: FAST_TIMING, ...options });
  const account = sim.createAccount({ friendlyName: 'Gateway' });
  const sms = sim.createPhoneNumber({
    accountSid: account.sid,
    phoneNumber: SMS_NUMBER,
    capabilities: { sms: true, mms: false },
    smsUrl,
  });
  const mms = sim.createPhoneNumber({
    accountSid: account.sid,
    phoneNumber: MMS_NUMBER,
    capabilities: { sms: true, mms: true },
    smsUrl,
  });
  return { sim, account, sms, mms };
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface ApiResult {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Raw REST call the way twilio-node makes it (form-encoded, Basic auth). */
export async function api(
  fx: Fixture,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  form?: Record<string, string | string[]>,
  auth: string = basicAuth(fx.account.sid, fx.account.authToken),
): Promise<ApiResult> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form ?? {}))
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  const res = await fetch(`${fx.sim.baseUrl}/2010-04-01/Accounts/${fx.account.sid}${path}`, {
    method,
    headers: {
      authorization: auth,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? body.toString() : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: res.headers,
  };
}
