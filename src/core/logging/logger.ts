import pino, { type DestinationStream, type Logger } from 'pino';
import type { AdapterLogger } from '../adapter';
import { SECRET_FIELD_NAMES, SecretRedactor } from './secret-redactor';

export type GatewayLogger = Logger;

/** Paths pino censors wherever they occur (top level and one or two levels down). */
const REDACT_PATHS = SECRET_FIELD_NAMES.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);

/**
 * Structured JSON logs through pino. Secret fields are censored by name, and every string is
 * scrubbed of registered secret values and token patterns before it is written.
 */
export function createLogger(
  level: string,
  redactor: SecretRedactor,
  destination?: DestinationStream,
): GatewayLogger {
  return pino(
    {
      level,
      base: { service: 'hubspot-messenger-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => redactor.redactDeep(record) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) =>
            typeof arg === 'string' ? redactor.redact(arg) : arg,
          );
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** The logger handed to plugins: same records, scoped to one adapter (and account). */
export function toAdapterLogger(logger: GatewayLogger): AdapterLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
