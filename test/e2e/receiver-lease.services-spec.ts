/**
 * Two gateway processes (src/main.ts, separate OS processes) share one PostgreSQL database and
 * one Redis, with a Telegram bot in polling mode against the simulator. Exactly one of them
 * polls; after `kill -9` of that one, the other takes over within the lease time, and every
 * update reaches the inbound queue exactly once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../../src/core/crypto/secret-cipher';
import { buildDataSourceOptions } from '../../src/core/persistence/database-options';
import { GATEWAY_ENTITIES } from '../../src/core/persistence/entities';
import { GATEWAY_MIGRATIONS } from '../../src/core/persistence/migrations';
import { createRepositories } from '../../src/core/persistence/repositories';
import { TEST_POSTGRES_URL } from '../../src/core/persistence/testing/test-database';
import { deleteRedisPrefix } from '../../src/core/queue/testing/redis';
import { startTelegramSimulator, type TelegramSimulator } from '../simulators/telegram';
import {
  freePort,
  startGatewayProcess,
  waitForOk,
  type GatewayProcess,
} from '../support/gateway-process';
import { RecordingProxy } from '../support/recording-proxy';
import { eventually } from '../support/test-gateway';

jest.setTimeout(180_000);

const LEASE_SECONDS = 3;
/** A Redis database of its own, so that the default key prefix meets no other test. */
const REDIS_URL = (() => {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = '/13';
  return url.toString();
})();

interface Gateway {
  name: string;
  proxy: RecordingProxy;
  process: GatewayProcess;
  url: string;
}

interface AccountHealthView {
  id: string;
  state: string;
  receiver?: string;
}

describe('one Telegram receiver across two gateway processes (PostgreSQL + Redis)', () => {
  let sim: TelegramSimulator;
  let databaseUrl: string;
  let databaseName: string;
  let token: string;
  let chatId: number;
  let accountId: string;
  let botId: string;
  const gateways: Gateway[] = [];
  const encryptionKey = randomBytes(32).toString('base64');

  async function createDatabase(): Promise<void> {
    databaseName = `gw_lease_${randomBytes(4).toString('hex')}`;
    const admin = new DataSource({ type: 'postgres', url: TEST_POSTGRES_URL });
    await admin.initialize();
    await admin.query(`CREATE DATABASE "${databaseName}"`);
    await admin.destroy();
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }

  /** The account as the connection flow leaves it: active, authorized, token encrypted. */
  async function createAccount(): Promise<void> {
    const dataSource = new DataSource({
      ...buildDataSourceOptions(databaseUrl),
      entities: GATEWAY_ENTITIES,
      migrations: GATEWAY_MIGRATIONS,
      migrationsRun: true,
    });
    await dataSource.initialize();
    try {
      const repos = createRepositories(
        dataSource,
        new SecretCipher(Buffer.from(encryptionKey, 'base64')),
      );
      const account = await repos.channelAccounts.create({
        adapterId: 'telegram',
        name: 'Lease bot',
        credentials: { botToken: token },
        status: 'active',
      });
      await repos.channelAccounts.setAuthorized(account.id, true);
      accountId = account.id;
    } finally {
      await dataSource.destroy();
    }
  }

  async function startGateway(name: string): Promise<Gateway> {
    const proxy = new RecordingProxy(sim.baseUrl);
    await proxy.start();
    const cwd = mkdtempSync(join(tmpdir(), `gw-lease-${name}-`));
    writeFileSync(
      join(cwd, 'gateway.yaml'),
      [
        'adapters:',
        '  telegram:',
        '    mode: polling',
        `    apiRoot: ${proxy.url}`,
        '    pollingTimeoutSeconds: 1',
        '    pollingRetryDelayMs: 200',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const child = startGatewayProcess(cwd, {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      ENCRYPTION_KEY: encryptionKey,
      RECEIVER_LEASE_SECONDS: String(LEASE_SECONDS),
      LOG_LEVEL: 'info',
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/health`, 60_000).catch((error: Error) => {
      throw new Error(`${name}: ${error.message}\n${child.stdout()}\n${child.stderr()}`);
    });
    const gateway = { name, proxy, process: child, url };
    gateways.push(gateway);
    return gateway;
  }

  async function accountState(gateway: Gateway): Promise<AccountHealthView | undefined> {
    const response = await fetch(`${gateway.url}/health`);
    const health = (await response.json()) as {
      adapters: { id: string; accounts: AccountHealthView[] }[];
    };
    return health.adapters
      .find((adapter) => adapter.id === 'telegram')
      ?.accounts.find((account) => account.id === accountId);
  }

  /** The update ids whose inbound job exists (queued, retrying or dead-lettered). */
  async function queuedUpdateIds(): Promise<number[]> {
    const redis = new Redis(REDIS_URL);
    const ids: number[] = [];
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          'gateway:inbound:jq:job:*',
          'COUNT',
          1000,
        );
        cursor = next;
        ids.push(...keys.map(updateIdOf).filter((id): id is number => id !== undefined));
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    const dataSource = new DataSource({ ...buildDataSourceOptions(databaseUrl) });
    await dataSource.initialize();
    try {
      const rows: { job_id: string }[] = await dataSource.query(
        `SELECT job_id FROM dead_letters WHERE queue = 'inbound'`,
      );
      ids.push(...rows.map((row) => updateIdOf(row.job_id)).filter((id) => id !== undefined));
    } finally {
      await dataSource.destroy();
    }
    return ids.sort((a, b) => a - b);
  }

  /** `...in:<account>:telegram:<bot id>:<update id>` → the update id. */
  function updateIdOf(jobKey: string): number | undefined {
    const match = new RegExp(`in:${accountId}:telegram:${botId}:(\\d+)$`).exec(jobKey);
    return match ? Number(match[1]) : undefined;
  }

  async function inject(texts: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const text of texts) {
      const { update } = await sim.injectMessage(token, { chat_id: chatId, text });
      if (update) ids.push(update.update_id);
    }
    return ids;
  }

  const getUpdatesCalls = (gateway: Gateway, since = 0) =>
    gateway.proxy.callsOf('getUpdates').filter((call) => call.at >= since);

  beforeAll(async () => {
    await deleteRedisPrefix(REDIS_URL, 'gateway');
    sim = await startTelegramSimulator({ rateLimits: false });
    const bot = await sim.createBot({ username: 'lease_test_bot', first_name: 'Lease' });
    token = bot.token;
    botId = token.split(':')[0];
    chatId = (await sim.createCustomer({ first_name: 'Ann' })).chat.id;
    await createDatabase();
    await createAccount();
  });

  afterAll(async () => {
    for (const gateway of gateways) {
      gateway.process.child.kill('SIGTERM');
      await gateway.process.exited;
      await gateway.proxy.stop();
    }
    await sim?.close();
    await deleteRedisPrefix(REDIS_URL, 'gateway');
    if (databaseName) {
      const admin = new DataSource({ type: 'postgres', url: TEST_POSTGRES_URL });
      await admin.initialize();
      await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await admin.destroy();
    }
  });

  it('polls from one process only, moves to the other after kill -9, loses and repeats nothing', async () => {
    const [a, b] = await Promise.all([startGateway('a'), startGateway('b')]);

    // Exactly one receives; the other stands by and names it.
    const [holder, standby] = await eventually(
      async () => {
        const [stateA, stateB] = [await accountState(a), await accountState(b)];
        if (stateA?.state === 'receiving' && stateB?.state === 'standby') return [a, b];
        if (stateB?.state === 'receiving' && stateA?.state === 'standby') return [b, a];
        return undefined;
      },
      30_000,
      'one receiving, one standby',
    );
    expect((await accountState(standby))?.receiver).toMatch(/:\d+:/);

    const first = await inject(['one', 'two', 'three', 'four', 'five']);
    await eventually(
      async () => ((await queuedUpdateIds()).length >= first.length ? true : undefined),
      20_000,
      'the first updates queued',
    );
    // Several lease periods: the standby process never called getUpdates, nobody got a 409.
    await new Promise((done) => setTimeout(done, LEASE_SECONDS * 1000));
    expect(getUpdatesCalls(holder).length).toBeGreaterThan(0);
    expect(getUpdatesCalls(standby)).toEqual([]);
    expect(
      (await sim.requests({ token, method: 'getUpdates' })).map((r) => r.status),
    ).not.toContain(409);

    // kill -9 the holder; updates keep arriving meanwhile.
    holder.process.child.kill('SIGKILL');
    const killedAt = Date.now();
    await holder.process.exited;
    const during = await inject(['six', 'seven', 'eight']);
    await eventually(
      async () => ((await accountState(standby))?.state === 'receiving' ? true : undefined),
      (LEASE_SECONDS + 5) * 1000,
      'the standby process taking over',
    );
    const tookOverMs = Date.now() - killedAt;
    // Lease time + one renewal period (the standby retries every third of the lease) + slack.
    expect(tookOverMs).toBeLessThan((LEASE_SECONDS + LEASE_SECONDS / 3 + 1.5) * 1000);
    const after = await inject(['nine', 'ten']);

    const expected = [...first, ...during, ...after];
    const queued = await eventually(
      async () => {
        const ids = await queuedUpdateIds();
        return ids.length >= expected.length ? ids : undefined;
      },
      20_000,
      'every update queued',
    );
    // Not lost, not repeated: each update's inbound job exactly once.
    expect(queued).toEqual(expected);
    expect(await sim.pendingUpdates(token)).toHaveLength(0);
    // After the kill only the new holder polled.
    expect(getUpdatesCalls(standby, killedAt + 1500).length).toBeGreaterThan(0);
    const conflicts = (await sim.requests({ token, method: 'getUpdates' })).filter(
      (r) => r.status === 409,
    );
    expect(conflicts).toEqual([]);
    // Handed to both processes (the killed one got it but died before storing its offset): the
    // gateway's event-id dedupe is what keeps such an update single in the queue.
    const handed = (gateway: Gateway) =>
      new Set(
        getUpdatesCalls(gateway).flatMap((call) => {
          const result = (call.body as { result?: { update_id: number }[] }).result ?? [];
          return result.map((update) => update.update_id);
        }),
      );
    const twice = [...handed(holder)].filter((id) => handed(standby).has(id));
    console.log(
      `receiver lease e2e: takeover ${tookOverMs} ms after kill -9 (lease ${LEASE_SECONDS} s); ` +
        `${expected.length} updates queued once each; ${twice.length} returned to both processes' getUpdates (in flight at the kill)`,
    );
  });
});
