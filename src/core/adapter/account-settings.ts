/**
 * Checks per-account plugin settings an operator sends against the adapter's declaration
 * (`AdapterManifest.accountSettings`). Pure: the admin API stores what this accepts.
 */
import type { AccountSettingField } from './manifest';

export interface AccountSettingsCheck {
  /** The accepted values by key; `null` means "remove the stored value". Absent on problems. */
  values?: Record<string, unknown>;
  /** One line per problem, each starting with the key it is about. */
  problems: string[];
}

/**
 * Validates a JSON object of settings: every key must be declared, every value of its type and
 * within its bounds; `null` removes a key. `owner` names the adapter in the unknown-key message.
 */
export function validateAccountSettings(
  fields: readonly AccountSettingField[] | undefined,
  input: unknown,
  owner = 'this adapter',
): AccountSettingsCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { problems: ['settings: must be a JSON object'] };
  }
  const declared = new Map((fields ?? []).map((field) => [field.key, field]));
  const known = [...declared.keys()].join(', ') || '(none)';
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    const field = declared.get(key);
    if (!field) {
      problems.push(`${key}: unknown setting; settings of ${owner}: ${known}`);
      continue;
    }
    const problem = value === null ? undefined : problemOf(field, value);
    if (problem) problems.push(`${key}: ${problem} (got ${JSON.stringify(value)})`);
    else values[key] = value;
  }
  return problems.length > 0 ? { problems } : { values, problems };
}

function problemOf(field: AccountSettingField, value: unknown): string | undefined {
  switch (field.type) {
    case 'number':
    case 'integer': {
      const whole = field.type === 'integer';
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!whole || Number.isInteger(value)) &&
        (field.min === undefined || value >= field.min) &&
        (field.max === undefined || value <= field.max);
      return ok ? undefined : `must be ${whole ? 'an integer' : 'a number'}${bounds(field)}`;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      return field.pattern === undefined || new RegExp(field.pattern).test(value)
        ? undefined
        : `must match ${field.pattern}`;
  }
}

function bounds({ min, max }: AccountSettingField): string {
  if (min !== undefined && max !== undefined) return ` between ${min} and ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}
