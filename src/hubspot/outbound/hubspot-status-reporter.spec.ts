import { MAX_ERROR_MESSAGE_LENGTH, readableError } from './hubspot-status-reporter';

describe('readableError (the FAILED errorMessage an agent reads)', () => {
  it('keeps a short reason as it is, on one line', () => {
    expect(readableError('The customer blocked this bot')).toBe('The customer blocked this bot');
    expect(readableError('  line one\n\tline two  ')).toBe('line one line two');
  });

  it('never sends an empty message', () => {
    expect(readableError(undefined)).toBe('delivery failed');
    expect(readableError(' \n ')).toBe('delivery failed');
  });

  it('cuts a long reason to the limit with an ellipsis', () => {
    const long = readableError('x'.repeat(2000));
    expect(long).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});
