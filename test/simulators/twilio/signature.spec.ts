import twilio from 'twilio';
import { twilioSignature } from './signature';

describe('X-Twilio-Signature', () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };

  it('matches the documented test vector and the official helper', () => {
    const sig = twilioSignature('12345', url, params);
    expect(sig).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilio.getExpectedTwilioSignature('12345', url, params)).toBe(sig);
    expect(twilio.validateRequest('12345', sig, url, params)).toBe(true);
    expect(twilio.validateRequest('12345', sig, url, { ...params, Digits: '1235' })).toBe(false);
  });

  it('sorts names in code-unit order and handles repeated names', () => {
    const sig = twilioSignature('t', 'https://x.test/a', { b: '1', B: '2', a: ['z', 'y'] });
    expect(
      twilio.validateRequest('t', sig, 'https://x.test/a', { b: '1', B: '2', a: ['z', 'y'] }),
    ).toBe(true);
  });
});
