import type { CredentialField } from '../../core/adapter/manifest';
import { readCredentialInput } from './credential-input';

const fields: CredentialField[] = [
  { key: 'token', label: 'Token', secret: true, required: true, pattern: 'echo_[a-z]{3,}' },
  { key: 'note', label: 'Note', secret: false, required: false },
];

describe('readCredentialInput', () => {
  it('trims, keeps declared keys only and checks the whole value against the pattern', () => {
    expect(readCredentialInput(fields, { token: ' echo_abc ', other: 'x' })).toEqual({
      credentials: { token: 'echo_abc' },
      errors: {},
    });
    expect(readCredentialInput(fields, { token: 'xx echo_abc' }).errors.token).toMatch(/format/);
    expect(readCredentialInput(fields, {}).errors.token).toBe('Enter the Token.');
    expect(readCredentialInput(fields, { token: ['a'] }).errors.token).toBe('Enter the Token.');
  });
});
