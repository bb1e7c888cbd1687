import type { AdapterLogger } from '../../src/core/adapter';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

/** An AdapterLogger that keeps what was logged (and prints it when CONFORMANCE_LOG is set). */
export class RecordingLogger implements AdapterLogger {
  readonly entries: LogEntry[] = [];

  constructor(private readonly echo = Boolean(process.env.CONFORMANCE_LOG)) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.record('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.record('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.record('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.record('error', message, fields);
  }

  private record(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level, message, fields });
    if (this.echo) process.stdout.write(`[${level}] ${message} ${JSON.stringify(fields ?? {})}\n`);
  }
}
