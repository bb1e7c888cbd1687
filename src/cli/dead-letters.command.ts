import type { PreparedGateway } from '../prepare-gateway';
import type { CliCommand } from './cli-command';

/**
 * Dead letters are replayed by the running gateway (its queue owns the jobs), so these commands
 * call its admin API: GATEWAY_ADMIN_URL (default http://127.0.0.1:<PORT>) with ADMIN_TOKEN.
 */
async function callAdmin(
  prepared: PreparedGateway,
  method: string,
  path: string,
): Promise<Response> {
  const token = prepared.config.ADMIN_TOKEN;
  if (!token) throw new Error('ADMIN_TOKEN is not set: the admin API is closed');
  const base = process.env.GATEWAY_ADMIN_URL ?? `http://127.0.0.1:${prepared.config.PORT}`;
  return fetch(`${base}/admin${path}`, { method, headers: { authorization: `Bearer ${token}` } });
}

export const deadLettersListCommand: CliCommand = {
  name: 'dead-letters:list',
  usage: 'dead-letters:list [queue]',
  description: 'list dead-lettered jobs that were not replayed yet',
  async run(prepared, args, out) {
    const query = args[0] ? `?queue=${encodeURIComponent(args[0])}` : '';
    const response = await callAdmin(prepared, 'GET', `/dead-letters${query}`);
    if (!response.ok) {
      out(`error ${response.status}: ${await response.text()}`);
      return 1;
    }
    const rows = (await response.json()) as {
      id: string;
      queue: string;
      attempts: number;
      failedAt: string;
      lastError: string;
    }[];
    if (rows.length === 0) out('no open dead letters');
    for (const row of rows) {
      out(
        `${row.id}  ${row.queue}  attempts=${row.attempts}  ${row.failedAt}  ${row.lastError.split('\n')[0]}`,
      );
    }
    return 0;
  },
};

export const deadLettersReplayCommand: CliCommand = {
  name: 'dead-letters:replay',
  usage: 'dead-letters:replay <id>',
  description: 'put a dead-lettered job back on its queue (once)',
  async run(prepared, args, out) {
    if (!args[0]) {
      out('usage: dead-letters:replay <id>');
      return 2;
    }
    const response = await callAdmin(
      prepared,
      'POST',
      `/dead-letters/${encodeURIComponent(args[0])}/replay`,
    );
    out(response.ok ? `replayed ${args[0]}` : `error ${response.status}: ${await response.text()}`);
    return response.ok ? 0 : 1;
  },
};
