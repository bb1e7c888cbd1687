import { Injectable } from '@nestjs/common';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../../core/persistence/repositories/channel-account.repository';
import { ExpiringCache } from './expiring-cache';
import { InboundClock } from './inbound-clock';

/** Short enough that a deauthorized or rebound account is noticed within seconds. */
export const ACCOUNT_CACHE_TTL_MS = 5_000;

/**
 * Channel accounts for the inbound pipeline. Reading one decrypts its credentials, too costly on
 * every message at 1,000 messages/s; a burst shares one read (concurrent jobs await the same
 * promise) and the answer is kept for a few seconds.
 */
@Injectable()
export class InboundAccountCache {
  private readonly accounts: ExpiringCache<string, Promise<ChannelAccount | undefined>>;

  constructor(
    private readonly repository: ChannelAccountRepository,
    clock: InboundClock,
  ) {
    this.accounts = new ExpiringCache({ ttlMs: ACCOUNT_CACHE_TTL_MS, maxEntries: 10_000 }, () =>
      clock.now(),
    );
  }

  get(accountId: string): Promise<ChannelAccount | undefined> {
    const cached = this.accounts.get(accountId);
    if (cached) return cached;
    const loading = this.repository.findById(accountId);
    this.accounts.set(accountId, loading);
    // A failed read is not remembered.
    loading.catch(() => this.accounts.delete(accountId));
    return loading;
  }

  /** Forgets an account, e.g. when HubSpot refused it and it may have changed meanwhile. */
  forget(accountId: string): void {
    this.accounts.delete(accountId);
  }
}
