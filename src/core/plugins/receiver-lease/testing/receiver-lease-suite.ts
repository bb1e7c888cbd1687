import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { pendingSchemaChanges } from '../../../persistence/testing/schema-drift';
import type { TestDatabase } from '../../../persistence/testing/test-database';
import { ReceiverLeaseEntity } from '../receiver-lease.entity';
import { ReceiverLeaseStore } from '../receiver-lease.store';
import { ReceiverLeases1764000002000 } from '../receiver-leases.migration';

const schema = { entities: [ReceiverLeaseEntity], migrations: [ReceiverLeases1764000002000] };
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The receiver lease on a real database, run on SQLite by `npm test` and on PostgreSQL by
 * `npm run test:services`. Each "process" is its own DataSource (own connections) on one database.
 */
export function receiverLeaseSuite(createDatabase: () => Promise<TestDatabase>): void {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  /** A store as a separate gateway process would have it. */
  async function gatewayProcess(ttlMs = 60_000, owner?: string): Promise<ReceiverLeaseStore> {
    const dataSource = new DataSource(db.options(schema));
    await dataSource.initialize();
    sources.push(dataSource);
    return new ReceiverLeaseStore(dataSource, ttlMs, owner);
  }

  beforeAll(async () => {
    db = await createDatabase();
    const dataSource = new DataSource(db.options(schema));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  });

  afterAll(async () => {
    for (const source of sources) await source.destroy();
    await db?.dispose();
  });

  it('the migration creates what the entity declares, and goes down and up again', async () => {
    const dataSource = new DataSource(db.options(schema));
    await dataSource.initialize();
    try {
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      await dataSource.undoLastMigration();
      const runner = dataSource.createQueryRunner();
      expect(await runner.hasTable('receiver_leases')).toBe(false);
      await runner.release();
      await dataSource.runMigrations();
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('gives a free lease to the first process only; the holder renews it', async () => {
    const [a, b] = [await gatewayProcess(), await gatewayProcess()];
    const account = randomUUID();
    expect(await a.acquire(account)).toBe(true);
    expect(await b.acquire(account)).toBe(false);
    expect(await a.acquire(account)).toBe(true);
    expect(await b.holder(account)).toMatchObject({ owner: a.owner });
    expect((await b.holder(account))!.expiresInMs).toBeGreaterThan(59_000);
  });

  it('lets another process take a released lease at once', async () => {
    const [a, b] = [await gatewayProcess(), await gatewayProcess()];
    const account = randomUUID();
    await a.acquire(account);
    await b.release(account); // not b's: no effect
    expect(await b.acquire(account)).toBe(false);
    await a.release(account);
    expect(await b.holder(account)).toBeUndefined();
    expect(await b.acquire(account)).toBe(true);
  });

  it('frees an expired lease (a crashed holder) for the next process', async () => {
    const [a, b] = [await gatewayProcess(300), await gatewayProcess(300)];
    const account = randomUUID();
    expect(await a.acquire(account)).toBe(true);
    expect(await b.acquire(account)).toBe(false);
    await sleep(450);
    expect(await a.holder(account)).toBeUndefined();
    expect(await b.acquire(account)).toBe(true);
    expect(await a.acquire(account)).toBe(false);
  });

  it('renewAll keeps the holder alive and reports leases taken over', async () => {
    const [a, b] = [await gatewayProcess(400), await gatewayProcess(400)];
    const [kept, lost] = [randomUUID(), randomUUID()];
    await a.acquire(kept);
    await a.acquire(lost);
    await sleep(250);
    expect(await a.renewAll()).toEqual(new Set([kept, lost]));
    await sleep(250);
    // Renewed 250 ms ago with a 400 ms TTL: still held.
    expect(await b.acquire(kept)).toBe(false);
    await sleep(500);
    expect(await b.acquire(lost)).toBe(true);
    const held = await a.renewAll();
    expect(held.has(lost)).toBe(false);
    expect(held.has(kept)).toBe(true);
  });

  it('releaseAll gives up every lease of the process and nobody else’s', async () => {
    const [a, b] = [await gatewayProcess(), await gatewayProcess()];
    const [one, two, other] = [randomUUID(), randomUUID(), randomUUID()];
    await a.acquire(one);
    await a.acquire(two);
    await b.acquire(other);
    await a.releaseAll();
    expect(await a.renewAll()).toEqual(new Set());
    expect(await b.acquire(one)).toBe(true);
    expect(await b.acquire(two)).toBe(true);
    expect(await b.holder(other)).toMatchObject({ owner: b.owner });
  });

  it('exactly one of many processes racing for one lease wins', async () => {
    const stores = await Promise.all(Array.from({ length: 6 }, () => gatewayProcess()));
    for (let round = 0; round < 5; round++) {
      const account = randomUUID();
      const won = await Promise.all(stores.map((store) => store.acquire(account)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = stores[won.indexOf(true)];
      expect(await stores[0].holder(account)).toMatchObject({ owner: winner.owner });
    }
  });

  it('on SQLite, takes a live lease of a crashed process of this host at once', async () => {
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
    const deadPid = Number(child.stdout.toString().trim());
    const crashed = await gatewayProcess(60_000, `${hostname()}:${deadPid}:crashed`);
    const restarted = await gatewayProcess();
    const account = randomUUID();
    expect(await crashed.acquire(account)).toBe(true);
    expect(await restarted.acquire(account)).toBe(db.kind === 'sqlite');
    const alive = await gatewayProcess(60_000, `${hostname()}:${process.ppid}:alive`);
    const other = randomUUID();
    expect(await alive.acquire(other)).toBe(true);
    expect(await restarted.acquire(other)).toBe(false);
  });
}
