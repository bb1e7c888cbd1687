import type { ValidationError } from 'class-validator';
import type { ConfigProblem } from './config-error';

/**
 * Flattens class-validator errors into problems named by their full key. Values of secret keys
 * are never echoed back.
 */
export function toConfigProblems(
  errors: ValidationError[],
  prefix: string,
  isSecret: (key: string) => boolean = () => false,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const error of errors) {
    const key = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const got =
        error.value === undefined || isSecret(error.property)
          ? ''
          : ` (got ${JSON.stringify(error.value)})`;
      // Several constraints often share one message (int, min, max): report it once.
      const messages = new Set(
        Object.entries(error.constraints).map(([constraint, message]) =>
          constraint === 'whitelistValidation'
            ? 'unknown key'
            : `${message.replace(new RegExp(`^${error.property} `), '')}${got}`,
        ),
      );
      for (const message of messages) problems.push({ key, message });
    }
    if (error.children?.length) problems.push(...toConfigProblems(error.children, key, isSecret));
  }
  return problems;
}
