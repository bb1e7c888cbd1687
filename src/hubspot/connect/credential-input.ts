import type { Credentials } from '../../core/adapter/channel-adapter';
import type { CredentialField } from '../../core/adapter/manifest';

export interface CredentialInput {
  credentials: Credentials;
  /** Problems by field key; empty when the input is complete and well-formed. */
  errors: Record<string, string>;
}

/**
 * Reads the adapter's credential fields out of a form body and checks `required` and `pattern`
 * as the browser does (the pattern must match the whole value). Values are trimmed; keys the
 * schema does not declare are ignored.
 */
export function readCredentialInput(
  fields: CredentialField[],
  body: Record<string, unknown>,
): CredentialInput {
  const credentials: Credentials = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = body[field.key];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') {
      if (field.required) errors[field.key] = `Enter the ${field.label}.`;
      continue;
    }
    credentials[field.key] = value;
    if (field.pattern !== undefined && !matchesWhole(field.pattern, value)) {
      errors[field.key] = `The ${field.label} does not have the expected format.`;
    }
  }
  return { credentials, errors };
}

function matchesWhole(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return true; // an invalid pattern in a manifest must not lock users out; the adapter checks
  }
}
