import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reasonOf } from '../adapter';
import { JobQueue, type QueueStats } from '../queue/job-queue';
import { AdapterSupervisor, type AdapterHealth } from '../plugins/adapter-supervisor';
import { InstallRepository } from '../persistence/repositories/install.repository';

export interface ComponentHealth {
  status: 'ok' | 'error';
  error?: string;
}

export interface InstallHealth {
  portalId: string;
  status: 'active' | 'broken';
  /** Why HubSpot access is broken (refresh token rejected, app uninstalled...). */
  reason?: string;
}

export interface GatewayHealth {
  /** ok: all is well; degraded: serving, but an adapter or account needs attention; error: not serving. */
  status: 'ok' | 'degraded' | 'error';
  database: ComponentHealth & { type: string };
  queue: ComponentHealth & { stats?: QueueStats };
  /** HubSpot portals that installed the app. */
  hubspot: { installs: InstallHealth[] };
  adapters: AdapterHealth[];
}

/** Gathers the state of the database, the queue and every adapter and account. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly supervisor: AdapterSupervisor,
    private readonly installs: InstallRepository,
  ) {}

  async check(): Promise<GatewayHealth> {
    const [database, queue] = await Promise.all([this.checkDatabase(), this.checkQueue()]);
    const installs = database.status === 'ok' ? await this.installHealth() : [];
    const adapters = this.supervisor.health();
    const brokenInstall = installs.some((install) => install.status === 'broken');
    const adapterTrouble = adapters.some(
      (adapter) =>
        adapter.state === 'failed' ||
        adapter.accounts.some((account) => account.state === 'retrying' || account.warnings.length),
    );
    const status =
      database.status === 'error' || queue.status === 'error'
        ? 'error'
        : adapterTrouble || brokenInstall
          ? 'degraded'
          : 'ok';
    return { status, database, queue, hubspot: { installs }, adapters };
  }

  private async installHealth(): Promise<InstallHealth[]> {
    const installs = await this.installs.list();
    return installs.map((install) => ({
      portalId: install.portalId,
      status: install.status,
      ...(install.brokenReason ? { reason: install.brokenReason } : {}),
    }));
  }

  private async checkDatabase(): Promise<GatewayHealth['database']> {
    const type = this.dataSource.options.type;
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', type };
    } catch (error) {
      return { status: 'error', type, error: reasonOf(error) };
    }
  }

  private async checkQueue(): Promise<GatewayHealth['queue']> {
    try {
      return { status: 'ok', stats: await this.queue.stats() };
    } catch (error) {
      return { status: 'error', error: reasonOf(error) };
    }
  }
}
