import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { accountMessagesPerSecond, SmsSettings } from '../sms.settings';

async function problems(raw: Record<string, unknown>): Promise<string[]> {
  const errors = await validate(plainToInstance(SmsSettings, raw), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.map((e) => e.property);
}

describe('SmsSettings', () => {
  it('accepts nothing, or a provider, a base URL and a rate', async () => {
    expect(await problems({})).toEqual([]);
    expect(
      await problems({
        provider: 'twilio',
        apiBaseUrl: 'http://127.0.0.1:4030',
        messagesPerSecond: 3,
      }),
    ).toEqual([]);
  });

  it('rejects unknown providers, bad URLs, bad rates and unknown keys', async () => {
    expect(await problems({ provider: 'vonage' })).toEqual(['provider']);
    expect(await problems({ apiBaseUrl: 'api.twilio.com' })).toEqual(['apiBaseUrl']);
    expect(await problems({ messagesPerSecond: 0 })).toEqual(['messagesPerSecond']);
    expect(await problems({ authToken: 'x' })).toEqual(['authToken']);
  });

  it('reads an account’s own rate from its settings, within the same bounds', () => {
    expect(accountMessagesPerSecond({ messagesPerSecond: 3 })).toBe(3);
    expect(accountMessagesPerSecond({ messagesPerSecond: 0.5, threading: {} })).toBe(0.5);
    expect(accountMessagesPerSecond({})).toBeUndefined();
    for (const invalid of [0, -1, 20000, Number.NaN, '3', null]) {
      expect(accountMessagesPerSecond({ messagesPerSecond: invalid })).toBeUndefined();
    }
  });
});
