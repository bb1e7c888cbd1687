import { validationError } from './errors';
import type { DeliveryIdentifier, DeliveryIdentifierType } from './types';

// Deliberately strict (spec 5): a plain addr-spec without spaces, and E.164 phone numbers.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const SHORT_CODE = /^\d{3,8}$/;

/**
 * Validates one delivery identifier against the channel's `deliveryIdentifierTypes` and the value
 * rules of its type. HubSpot's exact rules are UNCLEAR (spec 5, item 9); the simulator answers
 * 400 VALIDATION_ERROR for malformed emails/phones and for types the channel did not declare.
 */
export function checkDeliveryIdentifier(
  id: DeliveryIdentifier,
  allowed: DeliveryIdentifierType[],
  where: string,
): void {
  if (!allowed.includes(id.type)) {
    throw validationError(
      `Delivery identifier type ${id.type} is not supported by this channel (deliveryIdentifierTypes: ${allowed.join(', ')})`,
      [
        {
          message: `${where}.type is not one of the channel's deliveryIdentifierTypes`,
          in: `${where}.type`,
          code: 'INVALID_DELIVERY_IDENTIFIER_TYPE',
        },
      ],
    );
  }
  const bad = (rule: string) =>
    validationError(`Invalid delivery identifier value for ${id.type}: ${rule}`, [
      {
        message: `${where}.value ${rule}`,
        in: `${where}.value`,
        code: 'INVALID_DELIVERY_IDENTIFIER',
      },
    ]);
  if (id.value.trim() === '') throw bad('must not be empty');
  if (id.type === 'HS_EMAIL_ADDRESS' && !EMAIL.test(id.value))
    throw bad('is not a valid email address');
  if (id.type === 'HS_PHONE_NUMBER' && !E164.test(id.value)) {
    throw bad('is not a valid phone number in E.164 format');
  }
  if (id.type === 'HS_SHORT_CODE' && !SHORT_CODE.test(id.value))
    throw bad('is not a valid short code');
}

export function sameIdentifier(a: DeliveryIdentifier, b: DeliveryIdentifier): boolean {
  return a.type === b.type && normalizeIdentifier(a) === normalizeIdentifier(b);
}

export function normalizeIdentifier(id: DeliveryIdentifier): string {
  if (id.type === 'HS_EMAIL_ADDRESS') return id.value.toLowerCase();
  if (id.type === 'HS_PHONE_NUMBER') return id.value.replace(/[^\d+]/g, '');
  return id.value;
}

export function normalizePhone(v: string): string {
  return v.replace(/[^\d]/g, '');
}
