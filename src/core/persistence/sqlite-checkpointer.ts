import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GATEWAY_LOGGER, type GatewayLogger } from '../logging';
import { GatewaySqliteDatabase } from './gateway-sqlite-database';

/** How often the WAL is copied into the database. */
export const CHECKPOINT_INTERVAL_MS = 500;

/**
 * Takes SQLite's WAL checkpoints on a connection of its own, every half second, instead of inside
 * the commits of the gateway's hot connections (they only checkpoint past a backstop, see
 * gateway-sqlite-database.ts). A PASSIVE checkpoint waits for no reader or writer: jobs and
 * webhooks go on writing to the WAL while it copies and syncs, on a threadpool thread of its own.
 * Plain node-sqlite3, not TypeORM: it runs one pragma and must not share TypeORM's connection.
 * Nothing to do on PostgreSQL or in-memory SQLite.
 */
@Injectable()
export class SqliteCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private connection?: GatewaySqliteDatabase;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private failedBefore = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const options = this.dataSource.options;
    if (options.type !== 'sqlite' || options.database === ':memory:') return;
    const file = options.database;
    this.connection = await new Promise<GatewaySqliteDatabase>((resolve, reject) => {
      const opened: GatewaySqliteDatabase = new GatewaySqliteDatabase(file, undefined, (error) =>
        error ? reject(error) : resolve(opened),
      );
    });
    this.connection.configure('busyTimeout', 5_000);
    this.timer = setInterval(() => {
      this.running ??= this.checkpoint().finally(() => (this.running = undefined));
    }, CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await new Promise<void>((resolve) => connection.close(() => resolve()));
  }

  /** One PASSIVE checkpoint; failures are logged once, and tried again at the next tick. */
  async checkpoint(): Promise<{ walFrames: number; checkpointed: number } | undefined> {
    const connection = this.connection;
    if (!connection) return undefined;
    try {
      const row = await new Promise<{ log: number; checkpointed: number }>((resolve, reject) =>
        connection.get('PRAGMA wal_checkpoint(PASSIVE)', (error, result) =>
          error ? reject(error) : resolve(result as { log: number; checkpointed: number }),
        ),
      );
      this.failedBefore = false;
      return { walFrames: row.log, checkpointed: row.checkpointed };
    } catch (error) {
      if (!this.failedBefore) {
        this.logger.warn({ err: error }, 'SQLite WAL checkpoint failed; trying again');
      }
      this.failedBefore = true;
      return undefined;
    }
  }
}
