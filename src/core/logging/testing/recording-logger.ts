import { Writable } from 'node:stream';
import pino from 'pino';
import type { GatewayLogger } from '../logger';

/** A real pino logger that keeps its records for assertions. */
export function recordingLogger(): { logger: GatewayLogger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        records.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), records };
}
