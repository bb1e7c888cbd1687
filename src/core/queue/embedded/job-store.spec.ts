import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../persistence/database-options';
import { DeadLetterEntity } from '../dead-letter.entity';
import { JobStore, type StoreOp, statementsOf } from './job-store';
import { QueueJobEntity } from './queue-job.entity';

function jobRow(id: string, seq: number): QueueJobEntity {
  const row = new QueueJobEntity();
  Object.assign(row, {
    id,
    queue: 'q',
    orderingKey: null,
    seq,
    payload: '{}',
    attempts: 0,
    maxAttempts: null,
    runAt: 0,
    createdAt: 0,
    lastError: null,
  });
  return row;
}

describe('JobStore', () => {
  let dir: string;
  let dataSource: DataSource;
  let store: JobStore;
  let transactions: jest.SpyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'job-store-'));
    dataSource = await new DataSource(
      buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`),
    ).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await dataSource.getRepository(QueueJobEntity).clear();
    store = new JobStore(dataSource, () => undefined);
    transactions = jest.spyOn(dataSource, 'transaction');
  });
  afterEach(() => transactions.mockRestore());

  const ids = async () =>
    (await dataSource.getRepository(QueueJobEntity).find({ order: { seq: 'ASC' } })).map(
      (row) => row.id,
    );

  it('counts the statements a batch needs', () => {
    const ops = (...list: StoreOp[]) => list.map((op) => ({ op }));
    expect(statementsOf(ops({ kind: 'insert', row: jobRow('a', 1) }))).toBe(1);
    const manyInserts = Array.from({ length: 401 }, (_, n) => ({
      op: { kind: 'insert', row: jobRow(`j${n}`, n) } as StoreOp,
    }));
    expect(statementsOf(manyInserts)).toBe(2);
    expect(statementsOf(ops({ kind: 'delete', id: 'a' }, { kind: 'delete', id: 'b' }))).toBe(1);
    expect(
      statementsOf(ops({ kind: 'insert', row: jobRow('a', 1) }, { kind: 'delete', id: 'b' })),
    ).toBe(2);
    expect(statementsOf(ops({ kind: 'deadLetter', id: 'a', letter: new DeadLetterEntity() }))).toBe(
      2,
    );
    expect(
      statementsOf(ops({ kind: 'retry', id: 'a', attempts: 1, runAt: 0, lastError: 'x' })),
    ).toBe(1);
  });

  it('commits a batch of one statement without an explicit transaction', async () => {
    await Promise.all([
      store.submit({ kind: 'insert', row: jobRow('a', 1) }),
      store.submit({ kind: 'insert', row: jobRow('b', 2) }),
    ]);
    expect(await ids()).toEqual(['a', 'b']);
    await Promise.all([
      store.submit({ kind: 'delete', id: 'a' }),
      store.submit({ kind: 'delete', id: 'b' }),
    ]);
    expect(await ids()).toEqual([]);
    expect(transactions).not.toHaveBeenCalled();
  });

  it('on SQLite commits each statement of a mixed batch on its own, never a transaction', async () => {
    await store.submit({ kind: 'insert', row: jobRow('a', 1) });
    await Promise.all([
      store.submit({ kind: 'insert', row: jobRow('b', 2) }),
      store.submit({ kind: 'delete', id: 'a' }),
    ]);
    expect(await ids()).toEqual(['b']);
    // A duplicate id fails its insert statement: those enqueues are rejected, the other writes of
    // the batch are committed all the same.
    const duplicate = store.submit({ kind: 'insert', row: jobRow('b', 3) });
    const deleted = store.submit({ kind: 'delete', id: 'b' });
    await expect(duplicate).rejects.toThrow();
    await deleted;
    expect(await ids()).toEqual([]);
    expect(transactions).not.toHaveBeenCalled();
  });

  it('moves a job to the dead letters (letter in, job out) without a transaction', async () => {
    await store.submit({ kind: 'insert', row: jobRow('a', 1) });
    const letter = Object.assign(new DeadLetterEntity(), {
      id: '00000000-0000-4000-8000-000000000001',
      queue: 'q',
      jobId: 'a',
      orderingKey: null,
      payload: '{}',
      attempts: 1,
      lastError: 'failed',
      permanent: true,
      driver: 'embedded',
      enqueuedAt: 0,
      failedAt: 0,
      replayedAt: null,
      replayJobId: null,
    });
    await store.submit({ kind: 'deadLetter', id: 'a', letter });
    expect(await ids()).toEqual([]);
    const letters = await dataSource.getRepository(DeadLetterEntity).find();
    expect(letters.map((row) => row.jobId)).toEqual(['a']);
    expect(transactions).not.toHaveBeenCalled();
  });

  it('rejects an insert that fails as a single statement', async () => {
    await store.submit({ kind: 'insert', row: jobRow('a', 1) });
    await expect(store.submit({ kind: 'insert', row: jobRow('a', 2) })).rejects.toThrow();
    expect(await ids()).toEqual(['a']);
  });
});
