import type { DataSource, EntityManager } from 'typeorm';
import { preparedSqlOf } from '../../persistence/prepared-sql';
import { DeadLetterEntity } from '../dead-letter.entity';
import { QueueJobEntity } from './queue-job.entity';

/** One write the dispatcher or a caller wants made durable. */
export type StoreOp =
  | { kind: 'insert'; row: QueueJobEntity }
  | { kind: 'delete'; id: string }
  | { kind: 'retry'; id: string; attempts: number; runAt: number; lastError: string }
  | { kind: 'deadLetter'; id: string; letter: DeadLetterEntity }
  | { kind: 'replay'; deadLetterId: string; row: QueueJobEntity };

interface Pending {
  op: StoreOp;
  resolve: (applied: boolean) => void;
  reject: (error: unknown) => void;
}

/** Rows per multi-row statement; keeps SQLite's bound-parameter count far below its limit. */
const CHUNK = 400;
const RETRY_DELAY_MS = 200;
const INSERT_COLUMNS = [
  'id',
  'queue',
  'ordering_key',
  'seq',
  'payload',
  'attempts',
  'max_attempts',
  'run_at',
  'created_at',
  'last_error',
];

/** A row's values in INSERT_COLUMNS order. */
function insertValuesOf(row: QueueJobEntity): unknown[] {
  return [
    row.id,
    row.queue,
    row.orderingKey,
    row.seq,
    row.payload,
    row.attempts,
    row.maxAttempts,
    row.runAt,
    row.createdAt,
    row.lastError,
  ];
}

export const REPLAY_JOB_ID_PREFIX = 'replay:';

/** The id of the job a dead letter's replay creates (one replay per letter). */
export function replayJobIdOf(deadLetterId: string): string {
  return `${REPLAY_JOB_ID_PREFIX}${deadLetterId}`;
}

function rowOf(op: StoreOp): QueueJobEntity {
  if (op.kind !== 'insert') throw new Error(`not an insert: ${op.kind}`);
  return op.row;
}

function letterOf(op: StoreOp): DeadLetterEntity {
  if (op.kind !== 'deadLetter') throw new Error(`not a dead letter: ${op.kind}`);
  return op.letter;
}

function idOf(op: StoreOp): string {
  if (op.kind !== 'delete' && op.kind !== 'deadLetter') throw new Error(`no job id: ${op.kind}`);
  return op.id;
}

/** How many statements `apply` runs for a batch (multi-row inserts and deletes per CHUNK rows). */
export function statementsOf(batch: readonly { op: StoreOp }[]): number {
  let inserts = 0;
  let deletes = 0;
  let letters = 0;
  let others = 0;
  for (const { op } of batch) {
    if (op.kind === 'insert') inserts++;
    else if (op.kind === 'delete') deletes++;
    else if (op.kind === 'deadLetter') {
      letters++;
      deletes++;
    } else if (op.kind === 'retry') others++;
    else others += 2; // replay: claims the letter, then inserts its job
  }
  const chunks = (rows: number) => Math.ceil(rows / CHUNK);
  return chunks(inserts) + chunks(deletes) + chunks(letters) + others;
}

/**
 * Group commit for the embedded driver: every write submitted while a transaction is in flight
 * joins the next one, so enqueue resolves only once its row is committed, yet thousands of
 * writes share one commit (one fsync). Inserts and deletes are multi-row statements.
 *
 * On SQLite the queue shares the gateway's one connection, so it never opens a transaction there:
 * any statement another flow issued meanwhile would run inside it, and be undone if it rolled
 * back. Every statement commits on its own (a dead-letter replay is two, see `replayOnSqlite`).
 * On PostgreSQL a batch of several statements is one transaction on a pooled connection.
 *
 * Caller writes (`insert`, `replay`) fail with the transaction; internal writes (`delete`,
 * `retry`, `deadLetter`) are resubmitted until they succeed, since the dispatcher waits for them.
 */
export class JobStore {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  private readonly postgres: boolean;
  private tableName?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly onError: (error: unknown, context: string) => void,
  ) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** Resolves once the write is committed; `false` for a replay of an already replayed letter. */
  submit(op: StoreOp): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when every submitted write is committed (or failed). */
  drain(): Promise<void> {
    if (!this.flushing && !this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
    this.flushing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (!this.postgres) return this.commitEachStatement(batch);
    let results: Map<Pending, boolean>;
    try {
      // One statement commits atomically by itself: without BEGIN and COMMIT it costs a third of
      // the round trips and, on SQLite, holds the database's write lock only while it runs, not
      // across three awaits during which the gateway's other connection has to wait.
      results =
        statementsOf(batch) === 1
          ? await this.apply(this.dataSource.manager, batch)
          : await this.dataSource.transaction((manager) => this.apply(manager, batch));
    } catch (error) {
      this.onError(error, `job store commit of ${batch.length} writes failed`);
      const internal: Pending[] = [];
      for (const pending of batch) {
        if (pending.op.kind === 'insert' || pending.op.kind === 'replay') pending.reject(error);
        else internal.push(pending);
      }
      if (internal.length > 0) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
        this.queue.unshift(...internal);
      }
      return;
    }
    for (const pending of batch) pending.resolve(results.get(pending) ?? true);
  }

  /**
   * SQLite: every statement of the batch commits on its own (each is atomic; its writes succeed or
   * fail together), so that the connection never holds the database's write lock across an
   * await, and no other flow's statement lands in a transaction of ours. A crash between a dead
   * letter's insert and its job's delete leaves both; the queue drops such rows when it opens
   * (EmbeddedJobQueue.dropDeadLetteredJobs), so the job does not run again.
   */
  private async commitEachStatement(batch: Pending[]): Promise<void> {
    const manager = this.dataSource.manager;
    const inserts: Pending[] = [];
    const retries: Pending[] = [];
    const letters: Pending[] = [];
    const deletes: Pending[] = [];
    const replays: Pending[] = [];
    for (const pending of batch) {
      const kind = pending.op.kind;
      if (kind === 'insert') inserts.push(pending);
      else if (kind === 'retry') retries.push(pending);
      else if (kind === 'deadLetter') letters.push(pending);
      else if (kind === 'replay') replays.push(pending);
      else deletes.push(pending);
    }
    const failed: Pending[] = [];
    const run = async (group: Pending[], write: () => Promise<void>) => {
      try {
        await write();
        for (const pending of group) pending.resolve(true);
      } catch (error) {
        this.onError(error, `job store write of ${group.length} rows failed`);
        for (const pending of group) {
          if (pending.op.kind === 'insert') pending.reject(error);
          else failed.push(pending);
        }
      }
    };
    for (let i = 0; i < inserts.length; i += CHUNK) {
      const group = inserts.slice(i, i + CHUNK);
      await run(group, () => this.insertJobsOnSqlite(group.map((p) => rowOf(p.op))));
    }
    for (const pending of retries) {
      await run([pending], () => this.retryJob(manager, pending.op));
    }
    for (const pending of replays) {
      try {
        pending.resolve(await this.replayOnSqlite(pending.op));
      } catch (error) {
        this.onError(error, 'dead-letter replay failed');
        pending.reject(error);
      }
    }
    for (let i = 0; i < letters.length; i += CHUNK) {
      const group = letters.slice(i, i + CHUNK);
      await run(group, async () => {
        await this.insertLetters(
          manager,
          group.map((p) => letterOf(p.op)),
        );
        await this.deleteJobs(
          manager,
          group.map((p) => idOf(p.op)),
        );
      });
    }
    for (let i = 0; i < deletes.length; i += CHUNK) {
      const group = deletes.slice(i, i + CHUNK);
      await run(group, () => this.deleteJobsOnSqlite(group.map((p) => idOf(p.op))));
    }
    if (failed.length > 0) {
      // Internal writes are waited for by the dispatcher: try them again shortly.
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      this.queue.unshift(...failed);
    }
  }

  private async apply(manager: EntityManager, batch: Pending[]): Promise<Map<Pending, boolean>> {
    const results = new Map<Pending, boolean>();
    const inserts: QueueJobEntity[] = [];
    const letters: DeadLetterEntity[] = [];
    const deletes: string[] = [];
    for (const pending of batch) {
      const op = pending.op;
      switch (op.kind) {
        case 'insert':
          inserts.push(op.row);
          break;
        case 'replay': {
          const claimed = await manager
            .createQueryBuilder()
            .update(DeadLetterEntity)
            .set({ replayedAt: Date.now(), replayJobId: op.row.id })
            .where('id = :id AND replayed_at IS NULL', { id: op.deadLetterId })
            .execute();
          const applied = (claimed.affected ?? 0) > 0;
          results.set(pending, applied);
          if (applied) inserts.push(op.row);
          break;
        }
        case 'retry':
          await this.retryJob(manager, op);
          break;
        case 'deadLetter':
          letters.push(op.letter);
          deletes.push(op.id);
          break;
        case 'delete':
          deletes.push(op.id);
          break;
      }
    }
    for (let i = 0; i < inserts.length; i += CHUNK) {
      await this.insertJobs(manager, inserts.slice(i, i + CHUNK));
    }
    for (let i = 0; i < letters.length; i += CHUNK) {
      await this.insertLetters(manager, letters.slice(i, i + CHUNK));
    }
    for (let i = 0; i < deletes.length; i += CHUNK) {
      await this.deleteJobs(manager, deletes.slice(i, i + CHUNK));
    }
    return results;
  }

  /**
   * A replay without a transaction: the job is inserted only while its letter is open (one
   * INSERT ... SELECT), then the letter is claimed. The job's id is derived from the letter
   * (`replayJobIdOf`): a crash between the two statements leaves a pending job whose letter is
   * still open, which the queue marks replayed when it opens (EmbeddedJobQueue), so the letter
   * cannot be replayed a second time. Replays of one letter cannot race: this store writes one
   * batch at a time, and the job runs only after both statements.
   */
  private async replayOnSqlite(op: StoreOp): Promise<boolean> {
    if (op.kind !== 'replay') return false;
    const sql = preparedSqlOf(this.dataSource);
    const letters = sql.table(DeadLetterEntity);
    const row = op.row;
    await sql.run(
      `INSERT OR IGNORE INTO ${this.table} (${INSERT_COLUMNS.join(', ')}) ` +
        `SELECT ${INSERT_COLUMNS.map(() => '?').join(', ')} FROM ${letters} ` +
        `WHERE id = ? AND replayed_at IS NULL`,
      [...insertValuesOf(row), op.deadLetterId],
    );
    const claimed = await sql.run(
      `UPDATE ${letters} SET replayed_at = ?, replay_job_id = ? ` +
        `WHERE id = ? AND replayed_at IS NULL`,
      [Date.now(), row.id, op.deadLetterId],
    );
    return claimed > 0;
  }

  private async retryJob(manager: EntityManager, op: StoreOp): Promise<void> {
    if (op.kind !== 'retry') return;
    await manager
      .createQueryBuilder()
      .update(QueueJobEntity)
      .set({ attempts: op.attempts, runAt: op.runAt, lastError: op.lastError })
      .where('id = :id', { id: op.id })
      .execute();
  }

  private async insertLetters(manager: EntityManager, letters: DeadLetterEntity[]): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(DeadLetterEntity)
      .values(letters)
      .updateEntity(false)
      .execute();
  }

  /**
   * SQLite: a batch of any size through one statement kept prepared (prepared-sql.ts). The rows
   * travel as one JSON parameter that SQLite unpacks with json_each, so the statement's text never
   * changes: one trip to the threadpool and one commit per batch, no SQL to parse, and no
   * TypeORM query runner. (Batches used to go through a statement per row count up to 8 rows,
   * and through one-off statements above that, which at full load were most of the queue's
   * statements: prepare, run and finalize each.)
   */
  private async insertJobsOnSqlite(rows: QueueJobEntity[]): Promise<void> {
    await preparedSqlOf(this.dataSource).run(
      `INSERT INTO ${this.table} (${INSERT_COLUMNS.join(', ')}) ` +
        `SELECT ${INSERT_COLUMNS.map((_, n) => `value ->> ${n}`).join(', ')} FROM json_each(?)`,
      [JSON.stringify(rows.map(insertValuesOf))],
    );
  }

  /** As insertJobsOnSqlite. */
  private async deleteJobsOnSqlite(ids: string[]): Promise<void> {
    await preparedSqlOf(this.dataSource).run(
      `DELETE FROM ${this.table} WHERE id IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(ids)],
    );
  }

  private async deleteJobs(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(
      `DELETE FROM ${this.table} WHERE id IN (${ids.map((_, n) => this.param(n + 1)).join(', ')})`,
      ids,
    );
  }

  /**
   * The two hot statements (multi-row insert and delete) are plain SQL: TypeORM's query builder
   * spends more CPU on parameter bookkeeping than the database spends on the rows. Lower-case
   * column names and positional parameters keep them portable across SQLite and PostgreSQL.
   */
  private async insertJobs(manager: EntityManager, rows: QueueJobEntity[]): Promise<void> {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows) {
      const base = values.length;
      values.push(...insertValuesOf(row));
      tuples.push(`(${INSERT_COLUMNS.map((_, n) => this.param(base + n + 1)).join(', ')})`);
    }
    await manager.query(
      `INSERT INTO ${this.table} (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  /** `queue_jobs`, schema-qualified and quoted as the DataSource's driver wants. */
  private get table(): string {
    this.tableName ??= preparedSqlOf(this.dataSource).table(QueueJobEntity);
    return this.tableName;
  }

  private param(position: number): string {
    return this.postgres ? `$${position}` : '?';
  }
}
