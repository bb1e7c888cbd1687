import { validateAccountSettings } from './account-settings';
import type { AccountSettingField } from './manifest';

const fields: AccountSettingField[] = [
  { key: 'messagesPerSecond', label: 'Rate', type: 'number', min: 0.1, max: 100 },
  { key: 'burst', label: 'Burst', type: 'integer', min: 1 },
  { key: 'quiet', label: 'Quiet', type: 'boolean' },
  { key: 'region', label: 'Region', type: 'string', pattern: '^[a-z]{2}$' },
];

describe('validateAccountSettings', () => {
  it('accepts declared values of the right type and keeps null as a removal', () => {
    expect(
      validateAccountSettings(fields, {
        messagesPerSecond: 2.5,
        burst: 10,
        quiet: false,
        region: 'de',
      }),
    ).toEqual({
      values: { messagesPerSecond: 2.5, burst: 10, quiet: false, region: 'de' },
      problems: [],
    });
    expect(validateAccountSettings(fields, { messagesPerSecond: null })).toEqual({
      values: { messagesPerSecond: null },
      problems: [],
    });
    expect(validateAccountSettings(fields, {})).toEqual({ values: {}, problems: [] });
  });

  it.each([
    [
      { messagesPerSecond: 'x' },
      'messagesPerSecond: must be a number between 0.1 and 100 (got "x")',
    ],
    [
      { messagesPerSecond: 0.05 },
      'messagesPerSecond: must be a number between 0.1 and 100 (got 0.05)',
    ],
    [
      { messagesPerSecond: 101 },
      'messagesPerSecond: must be a number between 0.1 and 100 (got 101)',
    ],
    [{ burst: 1.5 }, 'burst: must be an integer of at least 1 (got 1.5)'],
    [{ burst: 0 }, 'burst: must be an integer of at least 1 (got 0)'],
    [{ quiet: 'yes' }, 'quiet: must be true or false (got "yes")'],
    [{ region: 7 }, 'region: must be a string (got 7)'],
    [{ region: 'DEU' }, 'region: must match ^[a-z]{2}$ (got "DEU")'],
  ])('names the key and the value for %j', (input, problem) => {
    expect(validateAccountSettings(fields, input)).toEqual({ problems: [problem] });
  });

  it('refuses undeclared keys, listing what the adapter declares, and reports every problem', () => {
    expect(validateAccountSettings(fields, { foo: 1, quiet: 1 }, 'sms')).toEqual({
      problems: [
        'foo: unknown setting; settings of sms: messagesPerSecond, burst, quiet, region',
        'quiet: must be true or false (got 1)',
      ],
    });
    expect(validateAccountSettings(undefined, { foo: 1 }, 'echo').problems).toEqual([
      'foo: unknown setting; settings of echo: (none)',
    ]);
  });

  it.each([[null], [[1]], ['text'], [3]])('refuses %j, which is not an object', (input) => {
    expect(validateAccountSettings(fields, input)).toEqual({
      problems: ['settings: must be a JSON object'],
    });
  });
});
