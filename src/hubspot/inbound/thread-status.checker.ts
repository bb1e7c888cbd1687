import { Injectable } from '@nestjs/common';
import { HubSpotApiError } from '../client/errors';
import { ExpiringCache } from './expiring-cache';
import { InboundClock } from './inbound-clock';
import type { InboundPortalApi } from './hubspot-portals';

/** How long an OPEN answer is trusted: a burst of messages asks HubSpot once. */
export const OPEN_THREAD_CACHE_MS = 30_000;

/**
 * Whether a conversation's HubSpot thread was closed (after-ticket-closed threading). Only OPEN
 * answers are cached, per thread: a CLOSED thread makes the caller start a new one at once.
 */
@Injectable()
export class ThreadStatusChecker {
  private readonly open: ExpiringCache<string, true>;

  constructor(clock: InboundClock) {
    this.open = new ExpiringCache({ ttlMs: OPEN_THREAD_CACHE_MS, maxEntries: 50_000 }, () =>
      clock.now(),
    );
  }

  /** True when the thread is CLOSED, archived or no longer exists in HubSpot. */
  async isClosed(portal: InboundPortalApi, threadId: string): Promise<boolean> {
    if (this.open.has(threadId)) return false;
    try {
      const thread = await portal.conversations.getThread(threadId);
      if (thread.status === 'CLOSED' || thread.archived) return true;
      this.open.set(threadId, true);
      return false;
    } catch (error) {
      // A deleted thread cannot take messages any more: the customer gets a new one.
      if (error instanceof HubSpotApiError && error.status === 404) return true;
      throw error;
    }
  }
}
