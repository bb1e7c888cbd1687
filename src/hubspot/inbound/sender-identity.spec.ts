import { senderDeliveryIdentifier, senderName } from './sender-identity';

const full = {
  id: 'u-42',
  displayName: 'Grace Hopper',
  handle: '@grace',
  phone: '+14155550100',
  email: 'Grace@Example.COM ',
};

describe('sender identity', () => {
  it("uses the channel's identifier type: phone, lower-cased email, or the platform id", () => {
    expect(senderDeliveryIdentifier('HS_PHONE_NUMBER', full)).toEqual({
      type: 'HS_PHONE_NUMBER',
      value: '+14155550100',
    });
    expect(senderDeliveryIdentifier('HS_EMAIL_ADDRESS', full)).toEqual({
      type: 'HS_EMAIL_ADDRESS',
      value: 'grace@example.com',
    });
    expect(senderDeliveryIdentifier('CHANNEL_SPECIFIC_OPAQUE_ID', full)).toEqual({
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'u-42',
    });
  });

  it('falls back to the platform id when the number or address is not known', () => {
    expect(senderDeliveryIdentifier('HS_PHONE_NUMBER', { id: '+15550001' })).toEqual({
      type: 'HS_PHONE_NUMBER',
      value: '+15550001',
    });
    expect(senderDeliveryIdentifier('HS_EMAIL_ADDRESS', { id: 'Bob@Mail.test' })).toEqual({
      type: 'HS_EMAIL_ADDRESS',
      value: 'bob@mail.test',
    });
  });

  it('names the sender by display name, then handle, then id', () => {
    expect(senderName(full)).toBe('Grace Hopper');
    expect(senderName({ id: 'u-1', displayName: '  ', handle: '@h' })).toBe('@h');
    expect(senderName({ id: 'u-1' })).toBe('u-1');
  });
});
