import { Inject, Injectable } from '@nestjs/common';
import { reasonOf } from '../../core/adapter';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import { ConversationRepository } from '../../core/persistence/repositories/conversation.repository';
import { ExpiringCache } from './expiring-cache';
import type { InboundPortalApi } from './hubspot-portals';
import { InboundClock } from './inbound-clock';

/**
 * Looks a thread's ticket up this many times at most, this far apart. Help-desk threads have
 * their ticket at once (found on the first message); inbox threads never get one, and must not
 * cost a GET on every message for ever.
 */
export const MAX_TICKET_LOOKUPS = 3;
export const TICKET_LOOKUP_INTERVAL_MS = 30_000;

interface Lookups {
  count: number;
  lastAt: number;
}

/**
 * Records the ticket of a conversation's current thread (spec 10.1/10.3: the thread's
 * `threadAssociations.associatedTicketId`). Best effort: a failed lookup is logged and tried
 * again with a later message, it never fails a message that HubSpot already accepted.
 */
@Injectable()
export class TicketRecorder {
  private readonly lookups: ExpiringCache<string, Lookups>;

  constructor(
    private readonly conversations: ConversationRepository,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
    private readonly clock: InboundClock,
  ) {
    this.lookups = new ExpiringCache({ ttlMs: 24 * 60 * 60_000, maxEntries: 50_000 }, () =>
      clock.now(),
    );
  }

  /** Returns the ticket id when it is known (recorded now or before). */
  async record(input: {
    portal: InboundPortalApi;
    conversationId: string;
    hubspotThreadId: string;
    /** The ticket the conversation already has for this thread. */
    knownTicketId?: string;
  }): Promise<string | undefined> {
    if (input.knownTicketId !== undefined) return input.knownTicketId;
    const now = this.clock.now();
    const previous = this.lookups.get(input.hubspotThreadId);
    if (
      previous &&
      (previous.count >= MAX_TICKET_LOOKUPS || now - previous.lastAt < TICKET_LOOKUP_INTERVAL_MS)
    ) {
      return undefined;
    }
    this.lookups.set(input.hubspotThreadId, { count: (previous?.count ?? 0) + 1, lastAt: now });
    try {
      const thread = await input.portal.conversations.getThread(input.hubspotThreadId, {
        association: ['TICKET'],
      });
      const ticketId = thread.threadAssociations?.associatedTicketId;
      if (ticketId === undefined || ticketId === '') return undefined;
      await this.conversations.linkTicket(input.conversationId, String(ticketId));
      this.lookups.delete(input.hubspotThreadId);
      return String(ticketId);
    } catch (error) {
      this.logger.warn(
        { thread: input.hubspotThreadId, reason: reasonOf(error) },
        'could not look up the ticket of a thread; trying again with a later message',
      );
      return undefined;
    }
  }
}
