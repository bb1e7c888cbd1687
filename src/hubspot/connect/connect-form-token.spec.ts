import { randomBytes } from 'node:crypto';
import { SecretCipher } from '../../core/crypto/secret-cipher';
import {
  type ConnectFlow,
  ConnectFormTokens,
  InvalidConnectFormTokenError,
} from './connect-form-token';

const flow: ConnectFlow = {
  adapterId: 'echo',
  accountToken: 'tok123',
  channelId: '42',
  redirectUrl: 'https://app.hubspot.com/done?accountToken=tok123',
  portalId: '9001',
};

describe('ConnectFormTokens', () => {
  let now = 1_000_000;
  const cipher = new SecretCipher(randomBytes(32));
  const tokens = new ConnectFormTokens(cipher, 60_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('round-trips the flow and hides the staging token', () => {
    const sealed = tokens.seal(flow);
    expect(sealed).not.toContain('tok123');
    expect(tokens.open(sealed, 'echo')).toEqual(flow);
  });

  it('rejects any changed character', () => {
    const sealed = tokens.seal(flow);
    for (let i = 0; i < sealed.length; i += 7) {
      const c = sealed[i] === 'A' ? 'B' : 'A';
      const changed = sealed.slice(0, i) + c + sealed.slice(i + 1);
      if (changed === sealed) continue;
      expect(() => tokens.open(changed, 'echo')).toThrow(InvalidConnectFormTokenError);
    }
  });

  it('rejects a token of another adapter, another key, garbage and expired tokens', () => {
    const sealed = tokens.seal(flow);
    expect(() => tokens.open(sealed, 'telegram')).toThrow(InvalidConnectFormTokenError);
    const other = new ConnectFormTokens(new SecretCipher(randomBytes(32)), 60_000, () => now);
    expect(() => other.open(sealed, 'echo')).toThrow(InvalidConnectFormTokenError);
    expect(() => tokens.open('not-a-token', 'echo')).toThrow(InvalidConnectFormTokenError);
    expect(() =>
      tokens.open(cipher.encrypt('{"a":1}', 'hubspot-connect-form:echo'), 'echo'),
    ).toThrow(InvalidConnectFormTokenError);
    now += 60_001;
    expect(() => tokens.open(sealed, 'echo')).toThrow('the form expired');
  });
});
