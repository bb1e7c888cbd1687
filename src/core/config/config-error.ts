/** One thing wrong with the configuration, named by its key (`PORT`, `adapters.telegram.mode`). */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** Thrown at boot for invalid configuration; main() prints it and exits with code 1. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
