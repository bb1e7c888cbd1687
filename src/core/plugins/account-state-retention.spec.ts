import type { AdapterManifest, GatewayPlugin } from '../adapter';
import { recordingLogger } from '../logging/testing/recording-logger';
import {
  openRepositoryTestDb,
  type RepositoryTestDb,
} from '../persistence/testing/repository-test-db';
import { AccountStateRetention } from './account-state-retention';
import type { LoadedPlugin } from './plugin-loader';

const DAY = 24 * 60 * 60 * 1000;

function loaded(id: string, stateRetention?: AdapterManifest['stateRetention']): LoadedPlugin {
  const plugin = {
    manifest: { id, stateRetention } as AdapterManifest,
    createAdapter: () => {
      throw new Error('not used');
    },
  } as unknown as GatewayPlugin;
  return { name: id, plugin, settings: {} };
}

describe('AccountStateRetention', () => {
  let db: RepositoryTestDb;

  beforeEach(async () => {
    db = await openRepositoryTestDb();
  });

  afterEach(async () => {
    await db.close();
  });

  it("deletes each plugin's keys past their rule's age, and only those", async () => {
    const now = new Date('2026-11-29T12:00:00.000Z');
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const sms = await db.repos.channelAccounts.create({
      adapterId: 'sms',
      name: 'n',
      credentials: {},
    });
    const tg = await db.repos.channelAccounts.create({
      adapterId: 'telegram',
      name: 't',
      credentials: {},
    });
    const state = db.repos.accountState;
    await state.set(sms.id, 'status:SM-old', 'SENT', ago(31));
    await state.set(sms.id, 'status:SM-new', 'SENT', ago(29));
    await state.set(sms.id, 'sent:k#1', 'SM1', ago(3));
    await state.set(sms.id, 'optout:+15550001', { optedOut: true }, ago(400));
    await state.set(tg.id, 'status:x', 'kept: telegram has no rule', ago(400));
    const { logger, records } = recordingLogger();
    const retention = new AccountStateRetention(
      [
        loaded('sms', [
          { keyPrefix: 'status:', maxAgeMs: 30 * DAY },
          { keyPrefix: 'sent:', maxAgeMs: 2 * DAY },
        ]),
        loaded('telegram'),
      ],
      state,
      logger,
    );

    expect(await retention.sweep(now)).toBe(2);
    expect(await state.keys(sms.id)).toEqual(['optout:+15550001', 'status:SM-new']);
    expect(await state.keys(tg.id)).toEqual(['status:x']);
    expect(records.filter((r) => r.adapter === 'sms').map((r) => r.deleted)).toEqual([1, 1]);
    expect(await retention.sweep(now)).toBe(0);
  });

  it('logs a failed rule and goes on with the next one', async () => {
    const { logger, records } = recordingLogger();
    const calls: string[] = [];
    const failing = {
      deleteStale: (adapter: string, keyPrefix: string) => {
        calls.push(keyPrefix);
        return keyPrefix === 'a:' ? Promise.reject(new Error('disk full')) : Promise.resolve(3);
      },
    };
    const retention = new AccountStateRetention(
      [
        loaded('sms', [
          { keyPrefix: 'a:', maxAgeMs: DAY },
          { keyPrefix: 'b:', maxAgeMs: DAY },
        ]),
      ],
      failing as never,
      logger,
    );
    expect(await retention.sweep()).toBe(3);
    expect(calls).toEqual(['a:', 'b:']);
    expect(records.some((r) => r.level === 40 && r.keyPrefix === 'a:')).toBe(true);
  });
});
