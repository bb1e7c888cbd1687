import { ConfigError, type ConfigProblem } from '../config-error';

/** Runs `fn`, which must throw a ConfigError, and returns its problems. */
export function problemsOf(fn: () => unknown): ConfigProblem[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
