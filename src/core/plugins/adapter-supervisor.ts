import { Inject, Injectable } from '@nestjs/common';
import type { AccountContext, ChannelAdapter } from '../adapter';
import { reasonOf } from '../adapter';
import { GATEWAY_LOGGER, toAdapterLogger, type GatewayLogger } from '../logging';
import { PUBLIC_URL } from '../config/config.tokens';
import { MetricsService } from '../observability/metrics.service';
import { AccountDirectory, type ReceivingAccount } from './account-directory';
import { AccountContextFactory } from './account-context.factory';
import { AccountSerial } from './account-serial';
import type { LoadedPlugin } from './plugin-loader';
import {
  RECEIVER_LEASE_OPTIONS,
  type ReceiverLeaseOptions,
} from './receiver-lease/receiver-lease.options';
import { ReceiverLeaseStore } from './receiver-lease/receiver-lease.store';

export const LOADED_PLUGINS = Symbol('LOADED_PLUGINS');

export type AdapterState = 'running' | 'failed';
/**
 * `standby`: another gateway process holds the account's receiver lease and receives for it;
 * this one still handles the account's webhooks and sends, and takes over if the holder dies.
 */
export type AccountState = 'starting' | 'receiving' | 'retrying' | 'standby' | 'stopped';

export interface AccountHealth {
  id: string;
  name: string;
  state: AccountState;
  error?: string;
  warnings: string[];
  /** In standby: the process receiving for the account (`host:pid:uuid`), when known. */
  receiver?: string;
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
  /** This process holds the account's receiver lease. */
  leased: boolean;
  /** startReceiving was called (maybe failed) and stopReceiving not yet. */
  started: boolean;
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
 * Owns the adapters: creates one per enabled plugin and supervises every active account, and
 * reports each one's state for /health. A plugin that throws is marked failed; the gateway keeps
 * running.
 *
 * Several gateway processes may share one database. Exactly one of them receives for an account
 * (calls startReceiving: runs its poll loop, owns its webhook registration): the one holding the
 * account's receiver lease (`receiver_leases`). The others keep the account in standby: they
 * handle its webhooks (a load balancer may send them there) and its sends, and try to take the
 * lease at every renewal period, so a crashed holder's accounts move over within the lease time.
 * Every period the supervisor also reconciles with the account directory, so accounts connected
 * or removed through another process are picked up or stopped here too.
 */
@Injectable()
export class AdapterSupervisor {
  private readonly adapters = new Map<string, SupervisedAdapter>();
  private readonly accounts = new Map<string, SupervisedAccount>();
  private readonly sendingContexts = new Map<
    string,
    { account: ReceivingAccount; context: AccountContext }
  >();
  private readonly serial = new AccountSerial();
  private stopping = false;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  /** When the last successful lease renewal started (ms, this process's clock). */
  private lastRenewal = Date.now();

  constructor(
    @Inject(LOADED_PLUGINS) plugins: LoadedPlugin[],
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
    @Inject(PUBLIC_URL) private readonly publicUrl: string,
    private readonly directory: AccountDirectory,
    private readonly contexts: AccountContextFactory,
    private readonly metrics: MetricsService,
    private readonly leases: ReceiverLeaseStore,
    @Inject(RECEIVER_LEASE_OPTIONS) private readonly leaseOptions: ReceiverLeaseOptions,
  ) {
    for (const loaded of plugins) this.adapters.set(loaded.name, { loaded });
  }

  /**
   * Creates the adapters and starts supervising every active account. Accounts start in the
   * background so that a slow platform never delays the HTTP server.
   */
  start(): void {
    for (const supervised of this.adapters.values()) this.createAdapter(supervised);
    this.lastRenewal = Date.now();
    this.timer = setInterval(() => this.onPeriod(), this.leaseOptions.renewEveryMs);
    this.timer.unref();
    this.ticking = this.tick().finally(() => (this.ticking = undefined));
  }

  /** Stops receiving everywhere, gives the leases up and releases the adapters. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all([...this.accounts.keys()].map((id) => this.stopAccount(id)));
    try {
      await this.leases.releaseAll();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not release the receiver leases; they expire');
    }
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

  /**
   * The context of a supervised account, whether this process receives for it or stands by
   * (webhook handling, outbound sends).
   */
  getAccountContext(accountId: string): AccountContext | undefined {
    return this.accounts.get(accountId)?.context;
  }

  /**
   * The context for a platform webhook of an account. An active account this process does not
   * supervise yet (connected through another process moments ago) is looked up in the directory
   * and taken into standby. Undefined for unknown, inactive or unauthorized accounts.
   */
  async webhookContext(accountId: string): Promise<AccountContext | undefined> {
    const known = this.accounts.get(accountId);
    if (known || this.stopping) return known?.context;
    let account: ReceivingAccount | undefined;
    try {
      account = await this.directory.findReceivingAccount(accountId);
    } catch (error) {
      this.logger.warn({ account: accountId, err: error }, 'could not look up a webhook account');
      return undefined;
    }
    if (!account || !this.getAdapter(account.adapterId)) return undefined;
    const found = account;
    return this.serial.run(accountId, async () => {
      const current = this.accounts.get(accountId) ?? this.supervise(found);
      return current.context;
    });
  }

  /**
   * A context to send with for an account, also when this process is not receiving for it (with
   * several gateway processes, one receives and any may send). Reuses the supervised context, else
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

  /**
   * Starts (or restarts) supervising an account, e.g. after it was connected or re-authorized:
   * receives for it when this process gets its lease, else stands by.
   */
  async startAccount(account: ReceivingAccount): Promise<void> {
    await this.serial.run(account.id, async () => {
      const previous = this.accounts.get(account.id);
      if (previous) await this.unstart(previous, false);
      const supervised = this.supervise(account, previous?.leased ?? false);
      const adapter = this.getAdapter(account.adapterId);
      if (adapter) await this.claim(supervised, adapter);
    });
  }

  /** Stops receiving for an account (if this process did) and gives its lease up. */
  async stopAccount(accountId: string): Promise<void> {
    await this.serial.run(accountId, async () => {
      this.sendingContexts.delete(accountId);
      const supervised = this.accounts.get(accountId);
      if (!supervised) return;
      this.accounts.delete(accountId);
      supervised.health.state = 'stopped';
      await this.unstart(supervised, false);
      if (supervised.leased) {
        supervised.leased = false;
        try {
          await this.leases.release(accountId);
        } catch (error) {
          this.logger.warn({ account: accountId, err: error }, 'could not release a lease');
        }
      }
    });
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

  /** A new supervised entry in standby (or `stopped` when its adapter is not running). */
  private supervise(account: ReceivingAccount, leased = false): SupervisedAccount {
    const health: AccountHealth = {
      id: account.id,
      name: account.name,
      state: 'standby',
      warnings: [],
    };
    const context = this.contexts.create(account, {
      onWarning: (message) => {
        if (!health.warnings.includes(message)) health.warnings.push(message);
        this.logger.warn({ adapter: account.adapterId, account: account.id }, message);
      },
    });
    const supervised: SupervisedAccount = {
      account,
      context,
      health,
      attempt: 0,
      leased,
      started: false,
    };
    if (!this.getAdapter(account.adapterId)) {
      health.state = 'stopped';
      health.error = `adapter ${account.adapterId} is not running`;
    }
    this.accounts.set(account.id, supervised);
    return supervised;
  }

  /** Takes the account's lease if it is free and starts receiving; else stands by. */
  private async claim(supervised: SupervisedAccount, adapter: ChannelAdapter): Promise<void> {
    const { account, health } = supervised;
    if (this.stopping) return;
    let won = false;
    try {
      won = await this.leases.acquire(account.id);
    } catch (error) {
      this.logger.warn({ account: account.id, err: error }, 'could not take a receiver lease');
    }
    if (!won) {
      supervised.leased = false;
      health.state = 'standby';
      const holder = await this.leases.holder(account.id).catch(() => undefined);
      if (holder) health.receiver = holder.owner;
      else delete health.receiver;
      return;
    }
    supervised.leased = true;
    delete health.receiver;
    if (supervised.started) return; // already receiving: the lease was only renewed
    supervised.attempt = 0;
    await this.tryStart(supervised, adapter);
  }

  private async tryStart(supervised: SupervisedAccount, adapter: ChannelAdapter): Promise<void> {
    const { account, health } = supervised;
    if (this.stopping || this.accounts.get(account.id) !== supervised || !supervised.leased) {
      return;
    }
    supervised.attempt += 1;
    supervised.started = true;
    health.state = 'starting';
    try {
      await adapter.startReceiving(supervised.context);
      health.state = 'receiving';
      delete health.error;
      supervised.attempt = 0;
      this.logger.info({ adapter: account.adapterId, account: account.id }, 'receiving');
    } catch (error) {
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (supervised.attempt - 1));
      health.state = 'retrying';
      health.error = reasonOf(error);
      this.logger.error(
        { adapter: account.adapterId, account: account.id, err: error, retryInMs: delay },
        'receiving failed to start',
      );
      supervised.retryTimer = setTimeout(
        () => void this.serial.run(account.id, () => this.tryStart(supervised, adapter)),
        delay,
      );
      supervised.retryTimer.unref();
    }
  }

  /**
   * Stops local receiving. `handover`: the lease moved to another process, which receives now;
   * the adapter leaves the platform registration (webhook) in place for it.
   */
  private async unstart(supervised: SupervisedAccount, handover: boolean): Promise<void> {
    clearTimeout(supervised.retryTimer);
    supervised.retryTimer = undefined;
    if (!supervised.started) return;
    supervised.started = false;
    const { account } = supervised;
    try {
      await this.getAdapter(account.adapterId)?.stopReceiving(
        account.id,
        handover ? { handover: true } : undefined,
      );
    } catch (error) {
      this.logger.warn({ account: account.id, err: error }, 'stopping an account failed');
    }
  }

  /** The lease is gone (taken over, or not renewable in time): stop receiving, stand by. */
  private async lose(supervised: SupervisedAccount, why: string): Promise<void> {
    if (this.accounts.get(supervised.account.id) !== supervised || !supervised.leased) return;
    supervised.leased = false;
    await this.unstart(supervised, true);
    supervised.health.state = 'standby';
    this.logger.warn(
      { adapter: supervised.account.adapterId, account: supervised.account.id, why },
      'receiver lease lost; standing by',
    );
  }

  private onPeriod(): void {
    // Checked even while a tick hangs on an unreachable database.
    void this.fenceIfStale();
    if (!this.ticking && !this.stopping) {
      this.ticking = this.tick().finally(() => (this.ticking = undefined));
    }
  }

  /** One period: renew our leases, follow the directory, try to take standby accounts. */
  private async tick(): Promise<void> {
    try {
      await this.renewLeases();
      if (this.stopping) return;
      await this.reconcile();
      if (this.stopping) return;
      await this.claimStandby();
    } catch (error) {
      this.logger.error({ err: error }, 'account supervision period failed');
    }
  }

  private async renewLeases(): Promise<void> {
    const before = [...this.accounts.values()].filter((a) => a.leased);
    const startedAt = Date.now();
    let held: Set<string>;
    try {
      held = await this.leases.renewAll();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not renew the receiver leases');
      return;
    }
    this.lastRenewal = startedAt;
    await Promise.all(
      before
        .filter((supervised) => !held.has(supervised.account.id))
        .map((supervised) =>
          this.serial.run(supervised.account.id, () =>
            this.lose(supervised, 'another process took the lease over'),
          ),
        ),
    );
  }

  /**
   * Without a renewal for half the lease time, the lease may expire before the next one, and
   * another process may start receiving: stop first, so two never receive at once.
   */
  private async fenceIfStale(): Promise<void> {
    if (this.stopping || Date.now() - this.lastRenewal < this.leaseOptions.ttlMs / 2) return;
    const leased = [...this.accounts.values()].filter((a) => a.leased);
    await Promise.all(
      leased.map((supervised) =>
        this.serial.run(supervised.account.id, () =>
          this.lose(supervised, 'the lease could not be renewed in time'),
        ),
      ),
    );
  }

  /** Follows the directory: new accounts into standby, changed ones restarted, gone ones stopped. */
  private async reconcile(): Promise<void> {
    for (const [name, { adapter }] of this.adapters) {
      if (!adapter) continue;
      let listed: ReceivingAccount[];
      try {
        listed = await this.directory.listReceivingAccounts(name);
      } catch (error) {
        this.logger.error({ adapter: name, err: error }, 'could not list channel accounts');
        continue;
      }
      const ids = new Set(listed.map((account) => account.id));
      await Promise.all(
        listed.map(async (account) => {
          const current = this.accounts.get(account.id);
          if (!current) {
            await this.serial.run(account.id, async () => {
              if (!this.accounts.has(account.id)) this.supervise(account);
            });
          } else if (!sameAccountData(current.account, account)) {
            await this.startAccount(account);
          } else if (current.account.name !== account.name) {
            current.account = account;
            current.health.name = account.name;
          }
        }),
      );
      const gone = [...this.accounts.values()].filter(
        (a) => a.account.adapterId === name && !ids.has(a.account.id),
      );
      await Promise.all(gone.map((a) => this.stopAccount(a.account.id)));
    }
  }

  private async claimStandby(): Promise<void> {
    const standby = [...this.accounts.values()].filter(
      (a) => !a.leased && a.health.state === 'standby',
    );
    await Promise.all(
      standby.map((supervised) =>
        this.serial.run(supervised.account.id, async () => {
          const adapter = this.getAdapter(supervised.account.adapterId);
          if (this.accounts.get(supervised.account.id) !== supervised || supervised.leased) return;
          if (adapter) await this.claim(supervised, adapter);
        }),
      ),
    );
  }
}

function sameAccountData(a: ReceivingAccount, b: ReceivingAccount): boolean {
  return (
    a.adapterId === b.adapterId &&
    JSON.stringify(a.credentials) === JSON.stringify(b.credentials) &&
    JSON.stringify(a.settings) === JSON.stringify(b.settings)
  );
}
