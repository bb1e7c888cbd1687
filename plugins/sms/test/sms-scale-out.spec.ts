/**
 * Several gateway processes: every one handles Twilio's webhooks for every account, so two may
 * write one account's opt-out and status records at the same time. Each "process" here is its
 * own SmsAdapter and AccountContext (or OptOutRegistry) on its own DataSource; they share the
 * account state through one SQLite database, as processes share it in production.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import type {
  AccountContext,
  AccountStateStore,
  AdapterWebhookRequest,
  Credentials,
  DeliveryStatusEvent,
  InboundEvent,
  OutboundMessage,
} from '../../../src/core/adapter';
import { RecordingLogger } from '../../../test/conformance';
import type { TwilioSimulator } from '../../../test/simulators/twilio';
import { plugin } from '..';
import { recordedStatus } from '../delivery-status-record';
import { OptOutRegistry, type KeywordType } from '../opt-out';
import type { SmsAdapter } from '../sms.adapter';
import { STATUS_RANK } from '../sms.mapper';
import { SmsSettings } from '../sms.settings';
import { createSmsConformanceHarness, type SmsHarnessAccount } from './sms-conformance.harness';
import { openSharedAccountState, type SharedAccountState } from './shared-account-state';

/** A refused port: the simulator's own deliveries go nowhere, the test hands them over. */
const NOWHERE = 'http://127.0.0.1:9';

/** Deterministic shuffles (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Each process handles its share one at a time (as the adapter does per account), all at once. */
async function inLanes<T>(lanes: T[][], handle: (item: T, lane: number) => Promise<void>) {
  await Promise.all(
    lanes.map(async (items, lane) => {
      for (const item of items) await handle(item, lane);
    }),
  );
}

describe('SMS consent records written by two processes at once', () => {
  let shared: SharedAccountState;
  let registries: OptOutRegistry[];

  beforeAll(async () => {
    shared = await openSharedAccountState(2, { accountSid: 'AC1', authToken: 't', from: '+1' });
    registries = shared.stores.map((store) => new OptOutRegistry(store));
  });
  afterAll(() => shared.close());

  type Change = { at: string; keyword: KeywordType | '21610' };

  /** 50 changes a second apart; the last one that is not HELP decides. */
  function history(seed: number, last: 'STOP' | 'START'): Change[] {
    const next = random(seed);
    const base = Date.parse('2026-03-01T10:00:00Z');
    const kinds: Change['keyword'][] = ['STOP', 'START', 'HELP', '21610'];
    return Array.from({ length: 50 }, (_, i) => ({
      at: new Date(base + i * 1000).toISOString(),
      keyword: i === 49 ? last : kinds[Math.floor(next() * kinds.length)],
    }));
  }

  const apply = (registry: OptOutRegistry, customer: string, change: Change) =>
    change.keyword === '21610'
      ? registry.markOptedOut(customer, change.at)
      : registry.apply(customer, change.keyword, change.keyword.toLowerCase(), change.at);

  it.each([
    ['+15550100001', 'START', 11],
    ['+15550100002', 'STOP', 12],
    ['+15550100003', 'START', 13],
  ] as const)(
    '%s: 50 interleaved STOP/START/HELP/21610, handled out of order, end with the latest (%s)',
    async (customer, last, seed) => {
      const changes = history(seed, last);
      // The latest change is handled first, the rest in random order: whoever writes last
      // must not win.
      const [latest, ...rest] = [...changes].reverse();
      const others = shuffle(rest, random(seed * 7));
      const lanes = [
        [latest, ...others.filter((_, i) => i % 2 === 0)],
        others.filter((_, i) => i % 2),
      ];
      await inLanes(lanes, (change, lane) => apply(registries[lane], customer, change));

      const optedOut = last === 'STOP';
      for (const registry of registries) {
        expect(await registry.isOptedOut(customer)).toBe(optedOut);
      }
      expect(await shared.stores[1].get(`optout:${customer}`)).toEqual({
        keyword: last,
        at: latest.at,
        optedOut,
      });
    },
  );

  it('two customers at once do not disturb each other; a record written before START was kept still reads as opted out', async () => {
    const a = '+15550100011';
    const b = '+15550100012';
    const at = (s: number) => new Date(Date.parse('2026-03-02T10:00:00Z') + s * 1000).toISOString();
    await Promise.all([
      registries[0].apply(a, 'STOP', 'stop', at(1)),
      registries[1].apply(b, 'STOP', 'Unsubscribe', at(1)),
      registries[1].apply(a, 'START', 'start', at(2)),
      registries[0].apply(b, 'START', 'start', at(0)),
    ]);
    expect(await registries[1].isOptedOut(a)).toBe(false);
    expect(await registries[0].isOptedOut(b)).toBe(true);
    expect(await shared.stores[0].get(`optout:${b}`)).toMatchObject({ keyword: 'UNSUBSCRIBE' });

    await shared.stores[0].set('optout:+15550100013', { keyword: 'STOP', at: at(0) });
    expect(await registries[1].isOptedOut('+15550100013')).toBe(true);
    await registries[1].apply('+15550100013', 'START', 'start', at(1));
    expect(await registries[0].isOptedOut('+15550100013')).toBe(false);
  });
});

/** One gateway process's view of the account: its own emitted events, the shared state. */
class ProcessContext implements AccountContext {
  readonly logger = new RecordingLogger();
  readonly settings = {};
  readonly warnings: string[] = [];

  constructor(
    readonly accountId: string,
    readonly credentials: Credentials,
    readonly webhookUrl: string,
    readonly state: AccountStateStore,
    /** Every process's events in the order they were stored, as the gateway's queue has them. */
    private readonly stored: { process: number; event: InboundEvent }[],
    private readonly process: number,
    /** Storing an event takes a while (a database insert), so that races get room. */
    public beforeStore: () => Promise<void>,
  ) {}

  async emit(event: InboundEvent): Promise<void> {
    await this.beforeStore();
    this.stored.push({
      process: this.process,
      event: JSON.parse(JSON.stringify(event)) as InboundEvent,
    });
  }

  reportWarning(message: string): void {
    this.warnings.push(message);
  }
}

describe('SmsAdapter in two processes sharing one account state', () => {
  const harness = createSmsConformanceHarness();
  let sim: TwilioSimulator;
  let platform: SmsHarnessAccount;
  let shared: SharedAccountState;
  const adapters: SmsAdapter[] = [];
  let contexts: ProcessContext[];
  let stored: { process: number; event: InboundEvent }[];

  beforeAll(async () => {
    await harness.start();
    sim = harness.simulator();
    platform = await harness.createAccount();
    shared = await openSharedAccountState(2, platform.credentials);
    const settings = Object.assign(new SmsSettings(), harness.pluginSettings());
    for (let i = 0; i < 2; i++) {
      adapters.push(
        plugin.createAdapter({
          settings,
          publicUrl: NOWHERE,
          logger: new RecordingLogger(),
        }) as SmsAdapter,
      );
    }
  });
  afterAll(async () => {
    for (const adapter of adapters) await adapter.shutdown();
    await shared?.close();
    await harness.stop();
  });
  beforeEach(() => {
    stored = [];
    const delay = random(99);
    const webhookUrl = `${NOWHERE}/adapters/sms/${shared.accountId}`;
    contexts = shared.stores.map(
      (state, process) =>
        new ProcessContext(
          shared.accountId,
          platform.credentials,
          webhookUrl,
          state,
          stored,
          process,
          () => sleep(Math.floor(delay() * 8)),
        ),
    );
  });

  const signed = (subPath: string, params: Record<string, string>): AdapterWebhookRequest => {
    const url = `${contexts[0].webhookUrl}${subPath}`;
    return {
      method: 'POST',
      subPath,
      publicUrl: url,
      headers: {
        'x-twilio-signature': twilio.getExpectedTwilioSignature(platform.authToken, url, params),
        'content-type': 'application/x-www-form-urlencoded',
      },
      query: {},
      rawBody: Buffer.from(new URLSearchParams(params).toString()),
    };
  };

  const callback = (sid: string, status: string): AdapterWebhookRequest => {
    const params: Record<string, string> = {
      MessageSid: sid,
      MessageStatus: status,
      To: platform.customer,
      From: platform.number,
      AccountSid: platform.accountSid,
    };
    if (status === 'undelivered') params.ErrorCode = '30005';
    return signed('/status', params);
  };

  it('50 status callbacks of 6 messages spread over both at once: each status stored once, the highest last', async () => {
    const next = random(5);
    // Per message Twilio's usual sequence, some ending undelivered and some read.
    const finals = [['delivered'], ['undelivered'], ['delivered', 'read']];
    const messages = Array.from({ length: 6 }, (_, i) => ({
      sid: `SM${String(i).padStart(2, '0')}${'a'.repeat(30)}`,
      statuses: ['accepted', 'queued', 'sending', 'sent', ...finals[i % 3]],
    }));
    const callbacks = messages.flatMap((m) => m.statuses.map((status) => ({ sid: m.sid, status })));
    // Each callback reaches whichever process the load balancer picks; many arrive twice.
    const sent = shuffle([...callbacks, ...callbacks.filter(() => next() < 0.6)], next);
    expect(sent.length).toBeGreaterThanOrEqual(50);
    const picks = sent.map(() => (next() < 0.5 ? 0 : 1));
    const lanes = [0, 1].map((lane) => sent.filter((_, i) => picks[i] === lane));
    await inLanes(lanes, async (c, lane) => {
      const answer = await adapters[lane].handleWebhook(contexts[lane], callback(c.sid, c.status));
      expect(answer.status).toBe(200);
    });

    const highest = (statuses: string[]): DeliveryStatusEvent['status'] =>
      statuses.includes('read') ? 'READ' : statuses.includes('undelivered') ? 'FAILED' : 'SENT';
    for (const message of messages) {
      const expected = highest(message.statuses);
      expect(await recordedStatus(shared.stores[0], message.sid)).toMatchObject({
        status: expected,
      });
      const events = stored
        .map((s) => s.event)
        .filter(
          (e): e is DeliveryStatusEvent =>
            e.type === 'status' && e.externalMessageId === message.sid,
        );
      // Every event id at most once over both processes; the highest status reached.
      const ids = events.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain(`twilio:${message.sid}:${expected}`);
      // Statuses only go up in the order the gateway applies them, or end on the highest.
      expect(events.at(-1)?.status).toBe(expected);
      if (expected === 'FAILED') {
        expect(events.filter((e) => e.status === 'FAILED').every((e) => e.reason)).toBe(true);
      }
      const reads = stored.filter(
        (s) => s.event.type === 'read' && s.event.externalMessageIds.includes(message.sid),
      );
      expect(reads).toHaveLength(expected === 'READ' ? 1 : 0);
      for (const [i, e] of events.entries()) {
        if (i > 0 && STATUS_RANK[e.status] < STATUS_RANK[events[i - 1].status]) {
          // A lower status stored after a higher one is followed by the higher one again.
          expect(events.slice(i + 1).some((later) => later.status === expected)).toBe(true);
        }
      }
    }
    // Both processes did part of the work.
    expect(new Set(stored.map((s) => s.process))).toEqual(new Set([0, 1]));
  });

  it('a SENT stored late by one process is followed by the FAILED another stored meanwhile', async () => {
    const sid = `SM${'b'.repeat(32)}`;
    // Process 0 has claimed SENT and is storing its event when process 1 handles FAILED.
    let storing!: () => void;
    const reachedStore = new Promise<void>((resolve) => (storing = resolve));
    let finish!: () => void;
    const otherDone = new Promise<void>((resolve) => (finish = resolve));
    contexts[0].beforeStore = () => {
      storing();
      return otherDone;
    };
    const slowSent = adapters[0].handleWebhook(contexts[0], callback(sid, 'sent'));
    await reachedStore;
    await adapters[1].handleWebhook(contexts[1], callback(sid, 'undelivered'));
    finish();
    await slowSent;
    expect(stored.map((s) => [s.process, s.event.eventId])).toEqual([
      [1, `twilio:${sid}:FAILED`],
      [0, `twilio:${sid}:SENT`],
      [0, `twilio:${sid}:FAILED:after-SENT`],
    ]);
    expect(stored[2].event).toMatchObject({
      type: 'status',
      status: 'FAILED',
      reason: (stored[0].event as DeliveryStatusEvent).reason,
    });
    expect((stored[0].event as DeliveryStatusEvent).reason).toMatch(/30005/);
    // Redelivered, neither is emitted again.
    await adapters[1].handleWebhook(contexts[1], callback(sid, 'sent'));
    await adapters[0].handleWebhook(contexts[0], callback(sid, 'undelivered'));
    expect(stored).toHaveLength(3);
  });

  it('an event that cannot be stored gives the claim back: the redelivered callback emits it', async () => {
    const sid = `SM${'c'.repeat(32)}`;
    const failing = new ProcessContext(
      shared.accountId,
      platform.credentials,
      contexts[0].webhookUrl,
      shared.stores[0],
      stored,
      0,
      () => Promise.resolve(),
    );
    failing.emit = () => Promise.reject(new Error('database unavailable'));
    await expect(adapters[0].handleWebhook(failing, callback(sid, 'delivered'))).rejects.toThrow(
      'database unavailable',
    );
    expect(await recordedStatus(shared.stores[1], sid)).toBeUndefined();
    await adapters[1].handleWebhook(contexts[1], callback(sid, 'delivered'));
    expect(stored.map((s) => s.event.eventId)).toEqual([`twilio:${sid}:SENT`]);
  });

  it('STOP, START, STOP a second apart, the last STOP handled first: opted out; START then lets replies go', async () => {
    const customer = platform.customer;
    const inject = async (body: string) => {
      const result = await sim.injectInbound({
        from: customer,
        to: platform.number,
        body,
        url: `${contexts[0].webhookUrl}/inbound`,
        deliverTo: `${NOWHERE}/inbound`,
      });
      if (!result.delivery) throw new Error('nothing to deliver');
      return signed('/inbound', result.delivery.params);
    };
    // Twilio stamps messages to the second.
    const stop1 = await inject('STOP');
    await sleep(1100);
    const start = await inject('Start');
    await sleep(1100);
    const stop2 = await inject('quit');
    // The latest first in one process; the other handles the older two, START last.
    await Promise.all([
      adapters[0].handleWebhook(contexts[0], stop2),
      adapters[1].handleWebhook(contexts[1], stop1),
      adapters[1].handleWebhook(contexts[1], start),
    ]);
    expect(stored.filter((s) => s.event.type === 'message')).toHaveLength(3);
    expect(await shared.stores[1].get(`optout:${customer}`)).toMatchObject({
      keyword: 'QUIT',
      optedOut: true,
    });

    // Message creations asked of Twilio (refused ones included).
    const creates = () =>
      sim
        .requests()
        .filter(
          (r) =>
            r.method === 'POST' &&
            r.path === `/2010-04-01/Accounts/${platform.accountSid}/Messages.json`,
        ).length;
    const before = creates();
    const reply = (text: string): OutboundMessage => ({
      idempotencyKey: `scale-out-${text}`,
      conversation: { externalId: customer },
      text,
      attachments: [],
    });
    await expect(adapters[1].send(contexts[1], reply('still there?'))).rejects.toMatchObject({
      reason: 'recipient opted out',
      code: '21610',
    });
    expect(creates()).toBe(before);

    await sleep(1100);
    await adapters[0].handleWebhook(contexts[0], await inject('start'));
    const result = await adapters[1].send(contexts[1], reply('welcome back'));
    expect(result.externalMessageIds).toHaveLength(1);
  });
});
