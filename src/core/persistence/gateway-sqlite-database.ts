import * as sqlite3 from 'sqlite3';
import type { PreparedStatementCache, SqliteStatement } from './prepared-sql';

type Callback = (error: Error | null) => void;

/**
 * WAL pages after which a committing connection checkpoints by itself. SQLite's default (1,000)
 * made some commit every second or so copy the WAL into the database and sync it, inside the
 * statement of whichever job or webhook crossed the line: the p99 latency at 200 messages/s was
 * twice what it is with checkpoints taken in the background. Kept as a backstop (about 32 MB of
 * WAL) for processes without the background checkpointer (the CLI) or if it falls behind.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 8_000;

/** Database file read through memory mapping (up to this size) instead of a pread per page. */
export const MMAP_BYTES = 256 * 1024 * 1024;

/** Prepared statements kept per SQL text at most. */
const STATEMENTS_PER_SQL = 8;

interface KeptStatement {
  statement: sqlite3.Statement;
  /** Calls not yet answered. */
  inFlight: number;
  use: SqliteStatement;
}

/**
 * node-sqlite3's Database as the gateway opens it (TypeORM's SQLite driver, database-options.ts):
 *
 * - One connection for the whole gateway, the embedded queue included (it writes single
 *   statements, never a transaction, job-store.ts): a second writer made the two wait on each
 *   other in SQLite's busy handler, whose sleeps of 1 to 100 ms were both wasted threadpool
 *   time and latency (about 60 sleeps a second at full load in bench:e2e).
 * - `synchronous = FULL` (the default in WAL mode made explicit): every commit syncs the WAL, so
 *   an event answered 2xx and a job counted as done survive a power loss. Writes are grouped
 *   (the queue's and the publisher's group commits), so one sync covers many messages.
 * - A cache of prepared statements for the hot path (prepared-sql.ts), finalized before the
 *   connection closes (SQLite refuses to close with statements still open).
 * - No WAL checkpoints of its own below a backstop (BACKSTOP_CHECKPOINT_PAGES).
 */
export class GatewaySqliteDatabase extends sqlite3.Database implements PreparedStatementCache {
  private readonly prepared = new Map<string, KeptStatement[]>();

  // TypeORM opens it as `new Database(file, callback)`, or `(file, flags, callback)` with flags.
  constructor(file: string, modeOrCallback?: number | Callback, maybeCallback?: Callback) {
    const callback = typeof modeOrCallback === 'function' ? modeOrCallback : maybeCallback;
    const mode =
      typeof modeOrCallback === 'number'
        ? modeOrCallback
        : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_FULLMUTEX;
    super(file, mode, (error: Error | null) => {
      if (error) {
        callback?.(error);
        return;
      }
      // Checkpoints run in the background (sqlite-checkpointer.ts); this is only a backstop.
      this.run(`PRAGMA wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
      this.run(`PRAGMA mmap_size = ${MMAP_BYTES}`);
      this.run('PRAGMA synchronous = FULL', (pragmaError: Error | null) => callback?.(pragmaError));
    });
  }

  preparedStatement(sql: string): SqliteStatement {
    let pool = this.prepared.get(sql);
    if (!pool) {
      pool = [];
      this.prepared.set(sql, pool);
    }
    // node-sqlite3 runs one call of a statement at a time, each a round trip through the event
    // loop: concurrent uses of one SQL get statements of their own, up to a few, then share.
    const idle = pool.find((kept) => kept.inFlight === 0);
    const kept =
      idle ??
      (pool.length < STATEMENTS_PER_SQL
        ? this.keep(sql, pool)
        : pool.reduce((a, b) => (b.inFlight < a.inFlight ? b : a)));
    return kept.use;
  }

  private keep(sql: string, pool: KeptStatement[]): KeptStatement {
    // node-sqlite3 never answers calls on a statement that failed to prepare: calls wait for the
    // preparation, and a failed one answers them with its error and is not kept.
    let prepared: Error | null | undefined;
    const waiting: (() => void)[] = [];
    const statement = this.prepare(sql, (error: Error | null) => {
      prepared = error ?? null;
      if (error) pool.splice(pool.indexOf(kept), 1);
      for (const proceed of waiting.splice(0)) proceed();
    });
    const whenPrepared = (call: () => void, fail: (error: Error) => void) => {
      const proceed = () => (prepared ? fail(prepared) : call());
      if (prepared === undefined) waiting.push(proceed);
      else proceed();
    };
    const track = <A extends unknown[]>(callback: (...args: A) => void) =>
      function (this: unknown, ...args: A) {
        kept.inFlight--;
        callback.apply(this, args);
      };
    const kept: KeptStatement = {
      statement,
      inFlight: 0,
      use: {
        run: (params, callback) => {
          kept.inFlight++;
          const done = track(callback);
          whenPrepared(
            () => statement.run(params, done),
            (error) => done.call({ changes: 0 }, error),
          );
        },
        all: (params, callback) => {
          kept.inFlight++;
          const done = track(callback);
          whenPrepared(
            () => statement.all(params, done),
            (error) => done(error, []),
          );
        },
      },
    };
    pool.push(kept);
    return kept;
  }

  override close(callback?: Callback): void {
    const statements = [...this.prepared.values()].flat().map((kept) => kept.statement);
    this.prepared.clear();
    let open = statements.length;
    if (open === 0) {
      super.close(callback);
      return;
    }
    for (const statement of statements) {
      statement.finalize(() => {
        if (--open === 0) super.close(callback);
      });
    }
  }
}
