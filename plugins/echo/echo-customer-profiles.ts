/**
 * Who the Echo platform's customers are. Like a messenger where people sign up with a phone
 * number or an email address, the platform knows each customer's profile and puts it on every
 * message they write, so later messages (and the simulated auto replies) carry the same name,
 * phone and email without the test repeating them.
 */
import { badRequest } from './echo-platform-error';
import type { EchoUser } from './echo-platform.types';

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DEFAULT_CUSTOMER: EchoUser = { id: 'customer-1', name: 'Echo Customer' };

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`customer.${field} must be a string`);
  return value;
}

export class EchoCustomerProfiles {
  /** Per account (`<account id>/<customer id>`), so tests sharing a platform do not meet. */
  private readonly profiles = new Map<string, EchoUser>();

  /**
   * The customer writing a message: the given fields over what the platform already knows about
   * that customer id. A malformed phone number (not E.164) or email is refused with 400.
   */
  resolve(accountId: string, input: Partial<EchoUser> = {}): EchoUser {
    const id = optionalString(input.id, 'id') ?? DEFAULT_CUSTOMER.id;
    const key = `${accountId}/${id}`;
    const known = this.profiles.get(key);
    const phone = optionalString(input.phone, 'phone') ?? known?.phone;
    const email = optionalString(input.email, 'email') ?? known?.email;
    if (phone !== undefined && !E164.test(phone)) {
      throw badRequest('customer.phone must be an E.164 number (+ and 7 to 15 digits)');
    }
    if (email !== undefined && !EMAIL.test(email)) {
      throw badRequest('customer.email is not an email address');
    }
    const customer: EchoUser = {
      id,
      name: optionalString(input.name, 'name') ?? known?.name ?? DEFAULT_CUSTOMER.name,
    };
    const username = optionalString(input.username, 'username') ?? known?.username;
    if (username) customer.username = username;
    if (phone) customer.phone = phone;
    if (email) customer.email = email;
    this.profiles.set(key, customer);
    return { ...customer };
  }
}
