/**
 * Telegram outbound throughput against the simulator with Telegram's flood limits on (30
 * messages/s per bot, 1/s per chat with a burst of 3, 20/minute per group). The Telegram plugin
 * is loaded through the gateway's plugin loader, its account state lives in SQLite, and agent
 * replies go through a JobQueue as the outbound pipeline runs them: one ordered lane per chat,
 * the pipeline's concurrency, attempts and backoff, a RateLimitedError retried after its
 * retryAfterMs. Reports the rate reached as a fraction of the per-bot limit, the 429s and their
 * retries, and checks on the simulator's side that every message arrived exactly once.
 *
 * Run: `npm run bench:telegram`. Env: BENCH_SCENARIO (`spread`, default: 1,800 replies to 880
 * private chats and 20 groups, two per chat; `backlog`: 835 replies, 20 to each of 40 chats and
 * 7 to each of 5 groups, enqueued chat by chat; see `plan`),
 * BENCH_CONCURRENCY (default: the outbound pipeline's), BENCH_ADAPTER_LIMITS=off (lift the
 * adapter's own limits to exercise the 429 path), BENCH_QUEUE=bull with REDIS_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import {
  isRetryable,
  RateLimitedError,
  type ChannelAdapter,
  type OutboundMessage,
} from '../src/core/adapter';
import { GatewayConfig } from '../src/core/config/gateway-config';
import { SecretCipher } from '../src/core/crypto/secret-cipher';
import { buildDataSourceOptions } from '../src/core/persistence/database-options';
import { GATEWAY_ENTITIES } from '../src/core/persistence/entities';
import { GATEWAY_MIGRATIONS } from '../src/core/persistence/migrations';
import { createRepositories } from '../src/core/persistence/repositories';
import { InboundEventSink } from '../src/core/plugins/account-context.factory';
import { DefaultAccountContextFactory } from '../src/core/plugins/default-account-context.factory';
import { loadEnabledPlugins } from '../src/core/plugins/plugin-loader';
import { DeadLetterStore } from '../src/core/queue/dead-letter-store';
import type { JobContext, JobQueue } from '../src/core/queue/job-queue';
import { createQueueDriver } from '../src/core/queue/testing/driver-factory';
import { deleteRedisPrefix } from '../src/core/queue/testing/redis';
import { OUTBOUND_DELIVERY_OPTIONS } from '../src/hubspot/outbound/outbound-delivery.processor';
import { startTelegramSimulator, type TelegramSimulator } from '../test/simulators/telegram';

const SCENARIO = process.env.BENCH_SCENARIO === 'backlog' ? 'backlog' : 'spread';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? OUTBOUND_DELIVERY_OPTIONS.concurrency);
const ADAPTER_LIMITS = process.env.BENCH_ADAPTER_LIMITS !== 'off';
const USE_BULL = process.env.BENCH_QUEUE === 'bull';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Telegram's published per-bot limit, which the simulator enforces. */
const BOT_LIMIT_PER_SECOND = 30;
const QUEUE = 'bench-telegram-outbound';

interface Reply {
  chatId: number;
  text: string;
}

/**
 * Who gets how many replies, in the order the pipeline enqueues them.
 * - spread: replies to many conversations, as a busy help desk sends them: two rounds, each
 *   giving every chat one reply (a group's two replies are ~30 s apart, within 20/minute), so
 *   the bot's 30/s is the limit that binds.
 * - backlog: 40 chats with 20 replies each and 5 groups with 7, each chat's replies enqueued
 *   together: every chat waits 1 s between its messages (3 s in groups), 40 chats together
 *   could send 40/s, so again the bot's limit binds, if enough jobs may wait at once.
 */
const SHAPE =
  SCENARIO === 'spread'
    ? { privateChats: 880, privateReplies: 2, groups: 20, groupReplies: 2 }
    : { privateChats: 40, privateReplies: 20, groups: 5, groupReplies: 7 };

function plan(privateChats: number[], groups: number[]): Reply[] {
  const replies: Reply[] = [];
  const add = (chatId: number, n: number) =>
    replies.push({ chatId, text: `reply ${n} to ${chatId}` });
  if (SCENARIO === 'spread') {
    const every = Math.floor(privateChats.length / groups.length);
    for (let round = 0; round < SHAPE.privateReplies; round++) {
      for (const [i, chatId] of privateChats.entries()) {
        add(chatId, round);
        if (i % every === 0) add(groups[i / every], round);
      }
    }
  } else {
    for (const chatId of privateChats)
      for (let n = 0; n < SHAPE.privateReplies; n++) add(chatId, n);
    for (const chatId of groups) for (let n = 0; n < SHAPE.groupReplies; n++) add(chatId, n);
  }
  return replies;
}

async function createChats(
  sim: TelegramSimulator,
): Promise<{ privateChats: number[]; groups: number[] }> {
  const privateChats: number[] = [];
  for (let i = 0; i < SHAPE.privateChats; i++) {
    privateChats.push((await sim.createCustomer({ first_name: `Customer ${i}` })).chat.id);
  }
  const groups: number[] = [];
  for (let i = 0; i < SHAPE.groups; i++) {
    groups.push((await sim.createChat({ type: 'supergroup', title: `Group ${i}` })).id);
  }
  return { privateChats, groups };
}

/** The Telegram adapter as the gateway loads it, pointing at the simulator. */
function loadTelegramAdapter(apiRoot: string): ChannelAdapter {
  const config = Object.assign(new GatewayConfig(), {
    adapters: {
      telegram: {
        apiRoot,
        mode: 'polling',
        ...(ADAPTER_LIMITS
          ? {}
          : {
              botMessagesPerSecond: 1000,
              chatMessagesPerSecond: 100,
              groupMessagesPerMinute: 6000,
            }),
      },
    },
  });
  const [loaded] = loadEnabledPlugins(config);
  return loaded.plugin.createAdapter({
    settings: loaded.settings,
    publicUrl: 'https://gateway.example',
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

class NoInbound extends InboundEventSink {
  async accept(): Promise<void> {
    throw new Error('this benchmark receives nothing');
  }
}

/** How many deliveries fell into each `bucketMs` since `start`. */
function timeline(times: number[], start: number, bucketMs: number): number[] {
  const buckets: number[] = [];
  for (const at of times) {
    const index = Math.floor((at - start) / bucketMs);
    while (buckets.length <= index) buckets.push(0);
    buckets[index] += 1;
  }
  return buckets;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'telegram-bench-'));
  const redisPrefix = `telegram-bench-${process.pid}`;
  const dataSource = new DataSource({
    ...buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`),
    entities: GATEWAY_ENTITIES,
    migrations: GATEWAY_MIGRATIONS,
    migrationsRun: true,
  });
  await dataSource.initialize();
  const sim = await startTelegramSimulator({ logRequests: true });
  let queue: JobQueue | undefined;
  try {
    const limits = await sim.getLimits();
    const bot = await sim.createBot({ username: 'bench_bot', first_name: 'Bench' });
    const { privateChats, groups } = await createChats(sim);
    const replies = plan(privateChats, groups);

    const repos = createRepositories(dataSource, new SecretCipher(randomBytes(32)));
    const account = await repos.channelAccounts.create({
      adapterId: 'telegram',
      name: 'Bench',
      credentials: { botToken: bot.token },
      status: 'active',
    });
    const logger = pino({ level: 'silent' });
    const context = new DefaultAccountContextFactory(
      repos.accountState,
      new NoInbound(),
      logger,
      'https://gateway.example',
    ).create(
      {
        id: account.id,
        adapterId: 'telegram',
        name: 'Bench',
        credentials: { botToken: bot.token },
        settings: {},
      },
      { onWarning: () => undefined },
    );
    const adapter = loadTelegramAdapter(sim.baseUrl);

    queue = createQueueDriver(
      dataSource,
      USE_BULL ? { driver: 'bull', redisUrl: REDIS_URL, redisPrefix } : { driver: 'embedded' },
    );
    let delivered = 0;
    const deliveredAt: number[] = [];
    let retriedJobs = 0;
    let rateLimitedErrors = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const finished = () => {
      if (delivered + deadLettered === replies.length) resolveDone();
    };
    let deadLettered = 0;
    queue.registerHandler<Reply>(
      QUEUE,
      async (reply, job: JobContext) => {
        if (job.attempt > 1) retriedJobs += 1;
        const message: OutboundMessage = {
          idempotencyKey: `bench:${reply.chatId}:${reply.text}`,
          conversation: { externalId: String(reply.chatId) },
          text: reply.text,
          attachments: [],
        };
        try {
          await adapter.send(context, message);
        } catch (error) {
          if (error instanceof RateLimitedError) rateLimitedErrors += 1;
          // Dead-lettered now: a permanent error, or the last attempt failed.
          if (!isRetryable(error) || job.attempt >= job.maxAttempts) {
            deadLettered += 1;
            finished();
          }
          throw error;
        }
        delivered += 1;
        deliveredAt.push(Date.now());
        finished();
      },
      { ...OUTBOUND_DELIVERY_OPTIONS, concurrency: CONCURRENCY },
    );
    await queue.start();

    const startedAt = Date.now();
    const started = process.hrtime.bigint();
    await Promise.all(
      replies.map((reply) =>
        queue!.enqueue(QUEUE, reply, { orderingKey: `telegram:${reply.chatId}` }),
      ),
    );
    await done;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    // The simulator's side: what arrived, what was refused.
    const sent = await sim.sentMessages(bot.token);
    const arrived = new Map<string, number>();
    for (const record of sent) {
      const key = `${record.chat_id}|${String(record.params.text)}`;
      arrived.set(key, (arrived.get(key) ?? 0) + 1);
    }
    const expected = replies.map((r) => `${r.chatId}|${r.text}`);
    const lost = expected.filter((key) => !arrived.has(key)).length;
    const duplicates = [...arrived.values()].filter((n) => n > 1).length;
    const log = await sim.requests({ token: bot.token, method: 'sendMessage' });
    const refused = log.filter((entry) => entry.status === 429);
    const refusedKeys = new Set(
      refused.map((e) => `${String(e.params.chat_id)}|${String(e.params.text)}`),
    );
    const unretried = [...refusedKeys].filter((key) => !arrived.has(key)).length;
    const openDeadLetters = await new DeadLetterStore(dataSource).countOpen(QUEUE);
    const rate = delivered / seconds;

    console.log(
      JSON.stringify(
        {
          scenario: SCENARIO,
          messages: replies.length,
          privateChats: privateChats.length,
          groups: groups.length,
          queue: USE_BULL ? 'bull' : 'embedded (SQLite)',
          concurrency: CONCURRENCY,
          adapterLimits: ADAPTER_LIMITS ? 'on (30/s bot, 1/s chat, 20/min group)' : 'off',
          simulatorLimits: limits,
          seconds: Number(seconds.toFixed(2)),
          messagesPerSecond: Number(rate.toFixed(2)),
          fractionOfBotLimit: Number((rate / BOT_LIMIT_PER_SECOND).toFixed(3)),
          http429: refused.length,
          http429LeftUnretried: unretried,
          rateLimitedErrors,
          retriedJobs,
          lost,
          duplicates,
          deadLettered: openDeadLetters,
          deliveredPer5s: timeline(deliveredAt, startedAt, 5000),
          machine: {
            cores: cpus().length,
            model: cpus()[0]?.model,
            loadavg: loadavg().map((n) => Number(n.toFixed(1))),
            node: process.version,
          },
        },
        null,
        2,
      ),
    );
    const target = rate / BOT_LIMIT_PER_SECOND >= 0.9 ? 'met' : 'NOT met';
    console.log(
      `\n${delivered}/${replies.length} messages in ${seconds.toFixed(1)} s = ${rate.toFixed(2)} msg/s = ` +
        `${((rate / BOT_LIMIT_PER_SECOND) * 100).toFixed(1)} % of Telegram's 30 msg/s per bot (target 90 %: ${target}); ` +
        `429s ${refused.length} (unretried ${unretried}), lost ${lost}, duplicates ${duplicates}`,
    );
    if (lost > 0 || duplicates > 0 || unretried > 0) process.exitCode = 1;
  } finally {
    await queue?.stop();
    await sim.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
    if (USE_BULL) await deleteRedisPrefix(REDIS_URL, redisPrefix);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
