import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';

/** Who holds an account's lease, and for how much longer. */
export interface LeaseHolder {
  owner: string;
  expiresInMs: number;
}

/**
 * The `receiver_leases` table: at most one gateway process holds an account's lease at a time.
 * Every change is ONE statement (no read-then-write), so processes racing for a lease cannot
 * both win, on SQLite and on PostgreSQL alike. Expiry is judged on the database's clock, the
 * one clock all processes share (no skew between hosts).
 */
export class ReceiverLeaseStore {
  /** This process: host and pid for operators, a random part so that a reused pid differs. */
  readonly owner: string;

  constructor(
    private readonly dataSource: DataSource,
    readonly ttlMs: number,
    owner = `${hostname()}:${process.pid}:${randomUUID()}`,
  ) {
    if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError('ttlMs must be >= 1');
    this.owner = owner;
  }

  /**
   * Takes the lease when it is free (absent or expired) or already ours, and renews it for
   * `ttlMs`. True when this process holds it afterwards.
   */
  async acquire(accountId: string): Promise<boolean> {
    if (await this.upsert(accountId)) return true;
    return !this.postgres && (await this.takeFromDeadLocalHolder(accountId));
  }

  private async upsert(accountId: string): Promise<boolean> {
    const now = this.nowMs();
    const affected = await this.execute(
      `INSERT INTO receiver_leases (account_id, owner, expires_at) ` +
        `VALUES (${this.param(1)}, ${this.param(2)}, ${now} + ${this.ttlParam(3)}) ` +
        `ON CONFLICT (account_id) DO UPDATE ` +
        `SET owner = excluded.owner, expires_at = excluded.expires_at ` +
        `WHERE receiver_leases.expires_at <= ${now} OR receiver_leases.owner = excluded.owner`,
      [accountId, this.owner, this.ttlMs],
    );
    return affected > 0;
  }

  /**
   * Renews every lease this process holds; returns the accounts it still holds. A lease that
   * another process took over (ours had expired) is missing from the result.
   */
  async renewAll(): Promise<Set<string>> {
    await this.execute(
      `UPDATE receiver_leases SET expires_at = ${this.nowMs()} + ${this.ttlParam(1)} ` +
        `WHERE owner = ${this.param(2)}`,
      [this.ttlMs, this.owner],
    );
    const rows: { account_id: string }[] = await this.dataSource.query(
      `SELECT account_id FROM receiver_leases WHERE owner = ${this.param(1)}`,
      [this.owner],
    );
    return new Set(rows.map((row) => row.account_id));
  }

  /** Gives one lease up so another process may take it at once; no-op when not ours. */
  async release(accountId: string): Promise<void> {
    await this.execute(
      `DELETE FROM receiver_leases WHERE account_id = ${this.param(1)} AND owner = ${this.param(2)}`,
      [accountId, this.owner],
    );
  }

  /** Gives up every lease of this process (graceful stop). */
  async releaseAll(): Promise<void> {
    await this.execute(`DELETE FROM receiver_leases WHERE owner = ${this.param(1)}`, [this.owner]);
  }

  /** The live holder of an account's lease, if any (for health output). */
  async holder(accountId: string): Promise<LeaseHolder | undefined> {
    const now = this.nowMs();
    const rows: { owner: string; remaining: number | string }[] = await this.dataSource.query(
      `SELECT owner, expires_at - ${now} AS remaining FROM receiver_leases ` +
        `WHERE account_id = ${this.param(1)} AND expires_at > ${now}`,
      [accountId],
    );
    const row = rows[0];
    return row ? { owner: row.owner, expiresInMs: Number(row.remaining) } : undefined;
  }

  /**
   * SQLite only: its database file lives on this host, so a holder on this host whose pid is
   * gone has crashed, and a restart after `kill -9` need not wait for the expiry. (On PostgreSQL
   * processes on several hosts may share a host name, e.g. containers: only expiry counts.)
   */
  private async takeFromDeadLocalHolder(accountId: string): Promise<boolean> {
    const rows: { owner: string }[] = await this.dataSource.query(
      `SELECT owner FROM receiver_leases WHERE account_id = ?`,
      [accountId],
    );
    const holder = rows[0]?.owner;
    if (!holder || !isDeadLocalProcess(holder)) return false;
    const affected = await this.execute(
      `UPDATE receiver_leases SET owner = ?, expires_at = ${this.nowMs()} + ${this.ttlParam(2)} ` +
        `WHERE account_id = ? AND owner = ?`,
      [this.owner, this.ttlMs, accountId, holder],
    );
    return affected > 0;
  }

  private get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** Epoch milliseconds on the database's clock, as an SQL expression. */
  private nowMs(): string {
    return this.postgres
      ? `CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)`
      : `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
  }

  private param(index: number): string {
    return this.postgres ? `$${index}` : '?';
  }

  private ttlParam(index: number): string {
    return `CAST(${this.param(index)} AS BIGINT)`;
  }

  /** Runs a write and returns the number of rows it changed (both drivers report it). */
  private async execute(sql: string, parameters: unknown[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = (await runner.query(sql, parameters, true)) as { affected?: number };
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  }
}

/** True when `owner` (`host:pid:...`) names a process of this host that no longer runs. */
function isDeadLocalProcess(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
