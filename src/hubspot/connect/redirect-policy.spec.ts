import { isAllowedRedirect } from './redirect-policy';

const api = 'https://api.hubapi.com';
const sim = 'http://127.0.0.1:4010';

describe('isAllowedRedirect', () => {
  it.each([
    ['https://app.hubspot.com/connect/done?x=1', api],
    ['https://app-eu1.hubspot.com/x', api],
    ['https://api.hubapi.com/x', api],
    ['http://127.0.0.1:4010/__sim/ui/connect/complete?accountToken=a', sim],
  ])('allows %s', (url, base) => expect(isAllowedRedirect(url, base)).toBe(true));

  it.each([
    ['http://app.hubspot.com/x', api],
    ['https://evil.com/x', api],
    ['https://hubspot.com.evil.com/x', api],
    ['https://evilhubspot.com/x', api],
    ['https://user:pw@app.hubspot.com/x', api],
    ['javascript:alert(1)', api],
    ['//evil.com', api],
    ['http://127.0.0.1:4011/x', sim],
    ['not a url', api],
  ])('refuses %s', (url, base) => expect(isAllowedRedirect(url, base)).toBe(false));
});
