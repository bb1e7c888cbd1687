import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import { QueueLeaseEntity } from './queue-lease.entity';

export class QueueLeaseHeldError extends Error {
  constructor(owner: string, expiresInMs: number) {
    super(
      `the embedded job queue is already used by another process (${owner}; lease expires in ` +
        `${Math.max(0, Math.round(expiresInMs / 1000))} s). The embedded driver serves one gateway ` +
        'process per database: run several processes with REDIS_URL set (Bull driver).',
    );
    this.name = 'QueueLeaseHeldError';
  }
}

export interface QueueLeaseOptions {
  /** How long a lease lives without a heartbeat. */
  ttlMs: number;
  /** Heartbeat period; a third of the TTL by default. */
  heartbeatMs?: number;
  /** Called when a heartbeat finds the lease taken over (another process started). */
  onLost: (error: Error) => void;
}

function parseOwner(owner: string): { host: string; pid: number } | undefined {
  const [host, pid] = owner.split(':');
  const parsed = Number(pid);
  return host && Number.isInteger(parsed) ? { host, pid: parsed } : undefined;
}

/** True when `pid` names no running process on this host. */
function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * A lease row with heartbeat guarding the embedded driver against a second process on the same
 * database. A lease left by a crashed process is free once expired, or at once when its holder
 * ran on this host and that pid is gone (so a restart after `kill -9` does not wait for the TTL).
 */
export class QueueLease {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly name: string,
    private readonly options: QueueLeaseOptions,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(QueueLeaseEntity);
  }

  async acquire(): Promise<void> {
    const now = Date.now();
    if (await this.takeIf('expires_at < :now', { now })) return this.startHeartbeat();
    const current = await this.repo.findOneBy({ name: this.name });
    if (!current) {
      try {
        await this.repo.insert({ name: this.name, owner: this.owner, expiresAt: this.expiry() });
        return this.startHeartbeat();
      } catch {
        // Another process inserted it first: fall through to the checks below.
      }
    }
    const row = current ?? (await this.repo.findOneBy({ name: this.name }));
    if (row) {
      const holder = parseOwner(row.owner);
      const stale =
        holder !== undefined &&
        holder.host === hostname() &&
        holder.pid !== process.pid &&
        processIsGone(holder.pid);
      if (stale && (await this.takeIf('owner = :previous', { previous: row.owner }))) {
        return this.startHeartbeat();
      }
      throw new QueueLeaseHeldError(row.owner, Number(row.expiresAt) - now);
    }
    throw new Error('could not acquire the embedded queue lease');
  }

  /** Gives the lease up (graceful stop) so a successor starts at once. */
  async release(): Promise<void> {
    this.stopHeartbeat();
    await this.repo
      .createQueryBuilder()
      .update(QueueLeaseEntity)
      .set({ expiresAt: 0 })
      .where('name = :name AND owner = :owner', { name: this.name, owner: this.owner })
      .execute();
  }

  stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private expiry(): number {
    return Date.now() + this.options.ttlMs;
  }

  private async takeIf(condition: string, params: Record<string, unknown>): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(QueueLeaseEntity)
      .set({ owner: this.owner, expiresAt: this.expiry() })
      .where(`name = :name AND (${condition})`, { ...params, name: this.name })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private startHeartbeat(): void {
    const period = this.options.heartbeatMs ?? Math.max(100, Math.floor(this.options.ttlMs / 3));
    this.timer = setInterval(() => void this.beat(), period);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const renewed = await this.takeIf('owner = :me', { me: this.owner });
      if (!renewed) {
        this.stopHeartbeat();
        this.options.onLost(new Error(`embedded queue lease "${this.name}" was taken over`));
      }
    } catch {
      // A failed heartbeat is retried at the next period; the TTL covers a few misses.
    }
  }
}
