import { isE164, toE164 } from '../phone-number';

describe('E.164 normalisation', () => {
  it.each([
    ['+15558675310', '+15558675310'],
    ['+1 (555) 867-5310', '+15558675310'],
    [' +44 20 7946 0958 ', '+442079460958'],
    ['0049 30 1234567', '+49301234567'],
    ['tel:+15558675310', '+15558675310'],
    ['+49.30.1234567', '+49301234567'],
  ])('%s -> %s', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each([
    '5558675310',
    '+0123456789',
    '+1 555 CALL ME',
    '+12',
    '+1234567890123456',
    '',
    'whatsapp:+1555',
  ])('rejects %p', (input) => {
    expect(toE164(input)).toBeUndefined();
  });

  it('recognises E.164', () => {
    expect(isE164('+15558675310')).toBe(true);
    expect(isE164('15558675310')).toBe(false);
  });
});
