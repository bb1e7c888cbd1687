/**
 * E.164 normalisation of phone numbers as people type them and as platforms send them.
 */

const E164 = /^\+[1-9]\d{6,14}$/;

/** True for a number already in E.164 (`+` then 7 to 15 digits, no leading zero). */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * `+1 (555) 867-5310`, `001 555 8675310`, `tel:+15558675310` -> `+15558675310`. Numbers without an
 * international prefix are not guessed (no default country): undefined.
 */
export function toE164(input: string): string | undefined {
  let value = input.trim().replace(/^tel:/i, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  if (!value.startsWith('+')) return undefined;
  if (/[^0-9+\s().\-/]/.test(value)) return undefined;
  const digits = value.slice(1).replace(/[\s().\-/]/g, '');
  const candidate = `+${digits}`;
  return isE164(candidate) ? candidate : undefined;
}
