/**
 * HubSpot client throughput: publishes messages through the client as fast as its per-portal
 * limiter allows, against the HubSpot simulator with its default limit (110 requests per rolling
 * 10 s per portal), for a fixed time. Reports the sustained publish rate as a fraction of the
 * simulator's limit, the 429s seen and that every publish succeeded in the end.
 *
 * Run: `npm run bench:hubspot` (env: BENCH_SECONDS, default 60 = six windows; BENCH_WORKERS,
 * default 32 concurrent publishers; REDIS_URL + BENCH_REDIS=1 to use the Redis-shared limiter).
 */
import { cpus } from 'node:os';
import { RateLimitedError, RetryableError } from '../src/core/adapter/errors';
import { startSimHarness } from '../src/hubspot/testing/sim-client';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 32);
const USE_REDIS = process.env.BENCH_REDIS === '1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const harness = await startSimHarness(
    {},
    USE_REDIS ? { redisUrl: REDIS_URL, redisKeyPrefix: `hubspot-bench-${process.pid}` } : {},
  );
  const { sim, kit } = harness;
  const limit = sim.options.rateLimit;
  try {
    const { portalId, inboxes } = await harness.install();
    const channel = await kit.client.channels.create({
      name: 'Bench',
      capabilities: { deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'] },
    });
    const portal = kit.client.forPortal(portalId);
    const account = await portal.channelAccounts.create(channel.id, {
      inboxId: inboxes[0].id,
      name: 'bench',
      authorized: true,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bench-bot' },
    });
    // Start from an empty window, as a portal that has been idle.
    await sleep(limit.intervalMs + 100);
    const since = sim.requests().length;

    let next = 0;
    let retries = 0;
    const published: number[] = [];
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    const publishOne = async (n: number): Promise<void> => {
      for (;;) {
        try {
          await portal.messages.publish(channel.id, {
            channelAccountId: account.id,
            messageDirection: 'INCOMING',
            text: `message ${n}`,
            timestamp: new Date().toISOString(),
            integrationThreadId: `thread-${n % 50}`,
            integrationIdempotencyId: `bench-${n}`,
            senders: [
              {
                deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `user-${n % 50}` },
              },
            ],
            recipients: [
              { deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bench-bot' } },
            ],
            attachments: [],
          });
          published.push(Date.now());
          return;
        } catch (error) {
          // What the job queue would do: retry later, honouring retryAfterMs.
          if (!(error instanceof RetryableError)) throw error;
          retries++;
          await sleep(error instanceof RateLimitedError ? (error.retryAfterMs ?? 1000) : 500);
        }
      }
    };
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (Date.now() < deadline) await publishOne(next++);
      }),
    );
    const finished = Date.now();

    const log = sim.requests().slice(since);
    const publishes = log.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    const window = SECONDS * 1000;
    const inWindow = published.filter((t) => t < started + window).length;
    const allowed = (limit.max * window) / limit.intervalMs;
    const steadyFrom = started + limit.intervalMs;
    const steady = published.filter((t) => t >= steadyFrom && t < started + window).length;
    const steadyAllowed = (limit.max * (window - limit.intervalMs)) / limit.intervalMs;
    const result = {
      limiter: USE_REDIS ? 'redis' : 'memory',
      limit: `${limit.max} / ${limit.intervalMs} ms per portal`,
      seconds: SECONDS,
      workers: WORKERS,
      attempted: next,
      published: published.length,
      lost: next - published.length,
      publishedInWindow: inWindow,
      allowedInWindow: allowed,
      fractionOfLimit: inWindow / allowed,
      steadyFractionAfterFirstWindow: steady / steadyAllowed,
      sim429: publishes.filter((r) => r.status === 429).length,
      simOtherErrors: publishes.filter((r) => r.status >= 400 && r.status !== 429).length,
      clientRetries: retries,
      drainMs: finished - deadline,
      machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown'}, node ${process.version}`,
      date: new Date().toISOString().slice(0, 10),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `\nHubSpot client: ${inWindow} publishes in ${SECONDS} s against ${allowed} allowed = ` +
        `${(result.fractionOfLimit * 100).toFixed(1)} % of the limit ` +
        `(after the first window ${(result.steadyFractionAfterFirstWindow * 100).toFixed(1)} %), ` +
        `${result.sim429} HTTP 429, ${result.lost} lost\n`,
    );
    if (result.lost > 0 || result.fractionOfLimit < 0.95) process.exitCode = 1;
  } finally {
    await harness.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
