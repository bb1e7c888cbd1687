import { Inject, Injectable } from '@nestjs/common';
import type { AccountContext, ChannelAdapter } from '../adapter';
import { reasonOf } from '../adapter';
import { GATEWAY_LOGGER, toAdapterLogger, type GatewayLogger } from '../logging';
import { PUBLIC_URL } from '../config/config.tokens';
import { MetricsService } from '../observability/metrics.service';
import { AccountDirectory, type ReceivingAccount } from './account-directory';
import { AccountContextFactory } from './account-context.factory';
import type { LoadedPlugin } from './plugin-loader';

export const LOADED_PLUGINS = Symbol('LOADED_PLUGINS');

export type AdapterState = 'running' | 'failed';
export type AccountState = 'starting' | 'receiving' | 'retrying' | 'stopped';

export interface AccountHealth {
  id: string;
  name: string;
  state: AccountState;
  error?: string;
  warnings: string[];
}

export interface AdapterHealth {
  id: string;
  state: AdapterState;
  error?: string;
  accounts: AccountHealth[];
}

interface SupervisedAccount {
  account: ReceivingAccount;
  context: AccountContext;
  health: AccountHealth;
  attempt: number;
  retryTimer?: NodeJS.Timeout;
}

interface SupervisedAdapter {
  loaded: LoadedPlugin;
  adapter?: ChannelAdapter;
  error?: string;
}

/** Retry delays for an account whose receiving failed to start: 1 s doubling up to 5 min. */
const RESTART_BASE_MS = 1000;
const RESTART_MAX_MS = 5 * 60 * 1000;

/**
 * Owns the adapters: creates one per enabled plugin, starts and stops receiving per account,
 * restarts failed accounts with backoff, and reports each one's state for /health. A plugin that
 * throws is marked failed; the gateway keeps running.
 */
@Injectable()
export class AdapterSupervisor {
  private readonly adapters = new Map<string, SupervisedAdapter>();
  private readonly accounts = new Map<string, SupervisedAccount>();
  private readonly sendingContexts = new Map<
    string,
    { account: ReceivingAccount; context: AccountContext }
  >();
  private stopping = false;

  constructor(
    @Inject(LOADED_PLUGINS) plugins: LoadedPlugin[],
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
    @Inject(PUBLIC_URL) private readonly publicUrl: string,
    private readonly directory: AccountDirectory,
    private readonly contexts: AccountContextFactory,
    private readonly metrics: MetricsService,
  ) {
    for (const loaded of plugins) this.adapters.set(loaded.name, { loaded });
  }

  /**
   * Creates the adapters and starts receiving for every account. Accounts start in the
   * background so that a slow platform never delays the HTTP server.
   */
  start(): void {
    for (const supervised of this.adapters.values()) this.createAdapter(supervised);
    void this.startAllAccounts();
  }

  /** Stops receiving everywhere and releases the adapters. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.accounts.keys()].map((id) => this.stopAccount(id)));
    for (const { adapter, loaded } of this.adapters.values()) {
      try {
        await adapter?.shutdown?.();
      } catch (error) {
        this.logger.warn({ adapter: loaded.name, err: error }, 'adapter shutdown failed');
      }
    }
  }

  /** The running adapter of a plugin, or undefined when it is not enabled or failed. */
  getAdapter(adapterId: string): ChannelAdapter | undefined {
    return this.adapters.get(adapterId)?.adapter;
  }

  /** The context of a receiving account (webhook handling, outbound sends). */
  getAccountContext(accountId: string): AccountContext | undefined {
    return this.accounts.get(accountId)?.context;
  }

  /**
   * A context to send with for an account, also when this process is not receiving for it (with
   * several gateway processes, one receives and any may send). Reuses the receiving context, else
   * a sending-only one kept until the account's credentials or settings change.
   */
  contextForSending(account: ReceivingAccount): AccountContext {
    const receiving = this.accounts.get(account.id);
    if (receiving && sameAccountData(receiving.account, account)) return receiving.context;
    const cached = this.sendingContexts.get(account.id);
    if (cached && sameAccountData(cached.account, account)) return cached.context;
    const context = this.contexts.create(account, {
      onWarning: (message) =>
        this.logger.warn({ adapter: account.adapterId, account: account.id }, message),
    });
    this.sendingContexts.set(account.id, { account, context });
    return context;
  }

  /** Starts (or restarts) receiving for an account, e.g. after it was connected or re-authorized. */
  async startAccount(account: ReceivingAccount): Promise<void> {
    await this.stopAccount(account.id);
    const adapter = this.getAdapter(account.adapterId);
    const health: AccountHealth = {
      id: account.id,
      name: account.name,
      state: 'starting',
      warnings: [],
    };
    const context = this.contexts.create(account, {
      onWarning: (message) => {
        if (!health.warnings.includes(message)) health.warnings.push(message);
        this.logger.warn({ adapter: account.adapterId, account: account.id }, message);
      },
    });
    const supervised: SupervisedAccount = { account, context, health, attempt: 0 };
    this.accounts.set(account.id, supervised);
    if (!adapter) {
      health.state = 'stopped';
      health.error = `adapter ${account.adapterId} is not running`;
      return;
    }
    await this.tryStart(supervised, adapter);
  }

  async stopAccount(accountId: string): Promise<void> {
    this.sendingContexts.delete(accountId);
    const supervised = this.accounts.get(accountId);
    if (!supervised) return;
    this.accounts.delete(accountId);
    clearTimeout(supervised.retryTimer);
    supervised.health.state = 'stopped';
    try {
      await this.getAdapter(supervised.account.adapterId)?.stopReceiving(accountId);
    } catch (error) {
      this.logger.warn({ account: accountId, err: error }, 'stopping an account failed');
    }
  }

  health(): AdapterHealth[] {
    return [...this.adapters.values()].map(({ loaded, adapter, error }) => ({
      id: loaded.name,
      state: adapter ? 'running' : 'failed',
      ...(error ? { error } : {}),
      accounts: [...this.accounts.values()]
        .filter((a) => a.account.adapterId === loaded.name)
        .map((a) => ({ ...a.health, warnings: [...a.health.warnings] })),
    }));
  }

  private createAdapter(supervised: SupervisedAdapter): void {
    const { loaded } = supervised;
    try {
      supervised.adapter = loaded.plugin.createAdapter({
        settings: loaded.settings,
        publicUrl: this.publicUrl,
        logger: toAdapterLogger(this.logger.child({ adapter: loaded.name })),
      });
      this.metrics.setAdapterUp(loaded.name, true);
      this.logger.info({ adapter: loaded.name }, 'adapter created');
    } catch (error) {
      supervised.error = reasonOf(error);
      this.metrics.setAdapterUp(loaded.name, false);
      this.logger.error({ adapter: loaded.name, err: error }, 'adapter failed to start');
    }
  }

  private async startAllAccounts(): Promise<void> {
    for (const [name, { adapter }] of this.adapters) {
      if (!adapter) continue;
      let accounts: ReceivingAccount[];
      try {
        accounts = await this.directory.listReceivingAccounts(name);
      } catch (error) {
        this.logger.error({ adapter: name, err: error }, 'could not list channel accounts');
        continue;
      }
      await Promise.all(accounts.map((account) => this.startAccount(account)));
    }
  }

  private async tryStart(supervised: SupervisedAccount, adapter: ChannelAdapter): Promise<void> {
    const { account, health } = supervised;
    supervised.attempt += 1;
    try {
      await adapter.startReceiving(supervised.context);
      if (this.accounts.get(account.id) !== supervised) {
        // Stopped while starting: undo.
        await adapter.stopReceiving(account.id);
        return;
      }
      health.state = 'receiving';
      delete health.error;
      supervised.attempt = 0;
      this.logger.info({ adapter: account.adapterId, account: account.id }, 'receiving');
    } catch (error) {
      if (this.stopping || this.accounts.get(account.id) !== supervised) return;
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (supervised.attempt - 1));
      health.state = 'retrying';
      health.error = reasonOf(error);
      this.logger.error(
        { adapter: account.adapterId, account: account.id, err: error, retryInMs: delay },
        'receiving failed to start',
      );
      supervised.retryTimer = setTimeout(() => void this.tryStart(supervised, adapter), delay);
      supervised.retryTimer.unref();
    }
  }
}

function sameAccountData(a: ReceivingAccount, b: ReceivingAccount): boolean {
  return (
    a.adapterId === b.adapterId &&
    JSON.stringify(a.credentials) === JSON.stringify(b.credentials) &&
    JSON.stringify(a.settings) === JSON.stringify(b.settings)
  );
}
