import { randomBytes } from 'node:crypto';

/** Twilio SIDs: two-letter prefix + 32 lowercase hex digits (34 characters). */
export type SidPrefix = 'AC' | 'SM' | 'MM' | 'MG' | 'ME' | 'SK' | 'PN';

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

export function newAuthToken(): string {
  return randomBytes(16).toString('hex');
}

export function isSid(value: string, prefix: SidPrefix): boolean {
  return new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
}
