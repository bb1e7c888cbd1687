import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { DataSource } from 'typeorm';
import type {
  AccountContext,
  AdapterManifest,
  ChannelAdapter,
  StopReceivingOptions,
} from '../adapter';
import { MetricsService } from '../observability/metrics.service';
import { createSqliteTestDatabase, type TestDatabase } from '../persistence/testing/test-database';
import { AccountDirectory, type ReceivingAccount } from './account-directory';
import { AccountContextFactory } from './account-context.factory';
import { AdapterSupervisor } from './adapter-supervisor';
import type { LoadedPlugin } from './plugin-loader';
import { ReceiverLeaseEntity } from './receiver-lease/receiver-lease.entity';
import { receiverLeaseOptions } from './receiver-lease/receiver-lease.options';
import { ReceiverLeaseStore } from './receiver-lease/receiver-lease.store';
import { ReceiverLeases1764000002000 } from './receiver-lease/receiver-leases.migration';

const TTL_SECONDS = 0.9; // renewal every 300 ms

/** What one process's adapter was asked to do. */
class RecordingAdapter implements Partial<ChannelAdapter> {
  readonly manifest = { id: 'fake' } as AdapterManifest;
  readonly receiving = new Map<string, AccountContext>();
  readonly calls: string[] = [];
  /** When each account last started / stopped receiving here (ms). */
  readonly startedAt = new Map<string, number>();
  readonly stoppedAt = new Map<string, number>();
  failStarts = 0;

  async startReceiving(account: AccountContext): Promise<void> {
    this.calls.push(`start ${account.accountId} ${account.credentials.token}`);
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      throw new Error('platform unreachable');
    }
    this.receiving.set(account.accountId, account);
    this.startedAt.set(account.accountId, Date.now());
  }

  async stopReceiving(accountId: string, options?: StopReceivingOptions): Promise<void> {
    this.calls.push(`stop ${accountId}${options?.handover ? ' handover' : ''}`);
    this.receiving.delete(accountId);
    this.stoppedAt.set(accountId, Date.now());
  }
}

class ListDirectory extends AccountDirectory {
  accounts: ReceivingAccount[] = [];
  async listReceivingAccounts(adapterId: string): Promise<ReceivingAccount[]> {
    return this.accounts.filter((a) => a.adapterId === adapterId);
  }
  async findReceivingAccount(accountId: string): Promise<ReceivingAccount | undefined> {
    return this.accounts.find((a) => a.id === accountId);
  }
}

class PlainContexts extends AccountContextFactory {
  create(account: ReceivingAccount): AccountContext {
    return { accountId: account.id, credentials: account.credentials } as AccountContext;
  }
}

/** A lease store whose database can "go away". */
class BreakableLeases extends ReceiverLeaseStore {
  broken = false;
  override async renewAll(): Promise<Set<string>> {
    if (this.broken) throw new Error('database unreachable');
    return super.renewAll();
  }
  override async acquire(accountId: string): Promise<boolean> {
    if (this.broken) throw new Error('database unreachable');
    return super.acquire(accountId);
  }
}

interface FakeProcess {
  supervisor: AdapterSupervisor;
  adapter: RecordingAdapter;
  leases: BreakableLeases;
}

const account = (id: string, token = 't1'): ReceivingAccount => ({
  id,
  adapterId: 'fake',
  name: `Account ${id}`,
  credentials: { token },
  settings: {},
});

const eventually = async (check: () => boolean, what: string, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
};

describe('AdapterSupervisor with receiver leases (two processes, one SQLite database)', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const running: AdapterSupervisor[] = [];
  let directory: ListDirectory;

  beforeAll(async () => {
    db = await createSqliteTestDatabase();
  });

  afterEach(async () => {
    for (const supervisor of running.splice(0)) await supervisor.stop();
  });

  afterAll(async () => {
    for (const source of sources) await source.destroy();
    await db.dispose();
  });

  async function startProcess(): Promise<FakeProcess> {
    const dataSource = new DataSource(
      db.options({ entities: [ReceiverLeaseEntity], migrations: [ReceiverLeases1764000002000] }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    sources.push(dataSource);
    const options = receiverLeaseOptions(TTL_SECONDS);
    const leases = new BreakableLeases(dataSource, options.ttlMs);
    const adapter = new RecordingAdapter();
    const plugin = {
      name: 'fake',
      settings: {},
      plugin: {
        manifest: adapter.manifest,
        createAdapter: () => adapter as unknown as ChannelAdapter,
      },
    } as unknown as LoadedPlugin;
    const supervisor = new AdapterSupervisor(
      [plugin],
      pino({ level: 'silent' }),
      'http://gateway.test',
      directory,
      new PlainContexts(),
      new MetricsService(),
      leases,
      options,
    );
    supervisor.start();
    running.push(supervisor);
    return { supervisor, adapter, leases };
  }

  const stateOf = (p: FakeProcess, id: string) =>
    p.supervisor.health()[0].accounts.find((a) => a.id === id)?.state;
  const receivers = (processes: FakeProcess[], id: string) =>
    processes.filter((p) => p.adapter.receiving.has(id));

  it('lets exactly one process receive per account; the other stands by naming it', async () => {
    directory = new ListDirectory();
    directory.accounts = [account('a1'), account('a2'), account('a3')];
    const a = await startProcess();
    const b = await startProcess();
    for (const id of ['a1', 'a2', 'a3']) {
      await eventually(() => receivers([a, b], id).length === 1, `a receiver for ${id}`);
    }
    await new Promise((done) => setTimeout(done, 1000)); // several renewal periods
    for (const id of ['a1', 'a2', 'a3']) {
      const [holder] = receivers([a, b], id);
      const other = holder === a ? b : a;
      expect(receivers([a, b], id)).toHaveLength(1);
      expect(stateOf(holder, id)).toBe('receiving');
      expect(stateOf(other, id)).toBe('standby');
      const standby = other.supervisor.health()[0].accounts.find((x) => x.id === id);
      expect(standby?.receiver).toBe(holder.leases.owner);
      // The standby process still has a context for webhooks and sends.
      expect(other.supervisor.getAccountContext(id)?.accountId).toBe(id);
    }
  });

  it('moves an account to the other process when its receiver stops', async () => {
    directory = new ListDirectory();
    directory.accounts = [account('b1')];
    const a = await startProcess();
    await eventually(() => a.adapter.receiving.has('b1'), 'a receiving');
    const b = await startProcess();
    await new Promise((done) => setTimeout(done, 300));
    expect(stateOf(b, 'b1')).toBe('standby');
    const stoppedAt = Date.now();
    await a.supervisor.stop();
    expect(a.adapter.calls).toContain('stop b1'); // full stop: unregisters
    await eventually(() => b.adapter.receiving.has('b1'), 'b taking over');
    // Released on stop: no need to wait for the lease to expire.
    expect(Date.now() - stoppedAt).toBeLessThan(900);
  });

  it('stops receiving by itself when its lease cannot be renewed; the other takes over after expiry', async () => {
    directory = new ListDirectory();
    directory.accounts = [account('c1')];
    const a = await startProcess();
    await eventually(() => a.adapter.receiving.has('c1'), 'a receiving');
    const b = await startProcess();
    a.leases.broken = true;
    const brokenAt = Date.now();
    await eventually(() => !a.adapter.receiving.has('c1'), 'a fencing itself');
    expect(a.adapter.calls).toContain('stop c1 handover');
    await eventually(() => b.adapter.receiving.has('c1'), 'b taking over');
    // a stopped before b started (never two receivers), b within lease time + one period.
    expect(a.adapter.stoppedAt.get('c1')!).toBeLessThan(b.adapter.startedAt.get('c1')!);
    expect(b.adapter.startedAt.get('c1')! - brokenAt).toBeLessThan(1600);
    expect(stateOf(a, 'c1')).toBe('standby');
    a.leases.broken = false;
    await new Promise((done) => setTimeout(done, 500));
    expect(receivers([a, b], 'c1')).toEqual([b]);
  });

  it('notices a lease taken over and hands over without unregistering', async () => {
    directory = new ListDirectory();
    directory.accounts = [account('d1')];
    const a = await startProcess();
    await eventually(() => a.adapter.receiving.has('d1'), 'a receiving');
    // As if a paused for longer than the lease and b took it: move the row to another owner.
    await sources[sources.length - 1].query(
      `UPDATE receiver_leases SET owner = 'elsewhere:1:x' WHERE account_id = 'd1'`,
    );
    await eventually(() => !a.adapter.receiving.has('d1'), 'a stopping');
    expect(a.adapter.calls).toEqual(['start d1 t1', 'stop d1 handover']);
    expect(stateOf(a, 'd1')).toBe('standby');
  });

  it('follows the directory: new accounts start, changed ones restart, removed ones stop', async () => {
    directory = new ListDirectory();
    const a = await startProcess();
    directory.accounts = [account('e1')];
    await eventually(() => a.adapter.receiving.has('e1'), 'new account picked up');
    directory.accounts = [account('e1', 't2')];
    await eventually(
      () => a.adapter.receiving.get('e1')?.credentials.token === 't2',
      'restart with new credentials',
    );
    directory.accounts = [];
    await eventually(() => !a.adapter.receiving.has('e1'), 'removed account stopped');
    expect(a.supervisor.getAccountContext('e1')).toBeUndefined();
    expect(a.adapter.calls).toEqual(['start e1 t1', 'stop e1', 'start e1 t2', 'stop e1']);
    const b = await startProcess();
    directory.accounts = [account('e1')];
    await eventually(() => receivers([a, b], 'e1').length === 1, 'the lease was released');
  });

  it('gives webhook contexts for standby and freshly connected accounts, none for unknown ones', async () => {
    directory = new ListDirectory();
    directory.accounts = [account('f1')];
    const a = await startProcess();
    const b = await startProcess();
    await eventually(() => receivers([a, b], 'f1').length === 1, 'a receiver');
    const [standby] = [a, b].filter((p) => !p.adapter.receiving.has('f1'));
    expect((await standby.supervisor.webhookContext('f1'))?.accountId).toBe('f1');
    directory.accounts.push(account('f2'));
    expect((await a.supervisor.webhookContext('f2'))?.accountId).toBe('f2');
    expect(await a.supervisor.webhookContext('nope')).toBeUndefined();
  });

  it('retries a failing start while holding the lease', async () => {
    directory = new ListDirectory();
    directory.accounts = [account('g1')];
    const a = await startProcess();
    a.adapter.failStarts = 1;
    await eventually(() => stateOf(a, 'g1') === 'retrying', 'retrying');
    const b = await startProcess();
    await eventually(() => a.adapter.receiving.has('g1'), 'started on retry', 4000);
    expect(stateOf(b, 'g1')).toBe('standby');
    expect(b.adapter.calls).toEqual([]);
  });
});
