import { GatewayError, PermanentError, reasonOf } from '../adapter/errors';

const MAX_LENGTH = 4000;

/** The "last error" text stored with a retried or dead-lettered job: type, reason and code. */
export function describeError(error: unknown): string {
  const reason = reasonOf(error);
  let text = error instanceof Error ? `${error.name}: ${reason}` : reason;
  if (error instanceof PermanentError && error.code) text += ` (code ${error.code})`;
  else if (!(error instanceof GatewayError) && error instanceof Error && error.stack) {
    // Unexpected errors keep their first stack frame: operators need to know where.
    const frame = error.stack.split('\n').find((line) => line.trim().startsWith('at '));
    if (frame) text += ` ${frame.trim()}`;
  }
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
