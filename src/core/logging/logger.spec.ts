import { Writable } from 'node:stream';
import { createLogger, toAdapterLogger } from './logger';
import { SecretRedactor } from './secret-redactor';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON records with level and message', () => {
    const out = capture();
    createLogger('info', new SecretRedactor(), out.stream).info({ adapter: 'echo' }, 'started');
    expect(out.lines()[0]).toMatchObject({ level: 'info', msg: 'started', adapter: 'echo' });
  });

  it('censors secret fields by name, registered values and token patterns', () => {
    const out = capture();
    const redactor = new SecretRedactor();
    redactor.register('super-secret-auth-token');
    const logger = createLogger('debug', redactor, out.stream);
    logger.info({ credentials: { token: 'x' }, account: { botToken: 'abc' } }, 'connect');
    logger.warn({ detail: 'call failed with super-secret-auth-token' }, 'retry');
    logger.error(
      'GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ/getMe failed',
    );
    toAdapterLogger(logger).info('auth', { header: 'Bearer eyJhbGciOi.abc.def' });
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('super-secret-auth-token');
    expect(text).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ');
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).not.toContain('"abc"');
    expect(out.lines()[0].credentials).toBe('[REDACTED]');
  });
});
