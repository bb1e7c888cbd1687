import { Inject, Injectable } from '@nestjs/common';
import {
  isRetryable,
  reasonOf,
  type DeliveryIdentifierType,
  type Sender,
} from '../../core/adapter';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import type { JobContext } from '../../core/queue/job-queue';
import { ExpiringCache } from './expiring-cache';
import type { InboundPortalApi } from './hubspot-portals';
import { InboundClock } from './inbound-clock';

const HIT_TTL_MS = 10 * 60_000;
/** Shorter: a contact created in the CRM meanwhile is found soon. */
const MISS_TTL_MS = 2 * 60_000;

/**
 * Finds the CRM contact of a customer on a channel whose identifiers are opaque ids, by the
 * phone number or email address the platform gave, so that the new thread is associated with it
 * (`associateWithContactId`) and HubSpot's "contact owner" routing can work (spec 6.7, 10.3).
 * Phone and email channels need no search: HubSpot matches their identifiers itself.
 *
 * The phone is searched as given (E.164) on the `phone` property; a CRM number stored in another
 * format is not found (how HubSpot normalises phone searches is not documented).
 */
@Injectable()
export class ContactResolver {
  private readonly matches: ExpiringCache<string, number | null>;

  constructor(
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
    clock: InboundClock,
  ) {
    this.matches = new ExpiringCache({ ttlMs: HIT_TTL_MS, maxEntries: 50_000 }, () => clock.now());
  }

  async resolve(input: {
    portal: InboundPortalApi;
    portalId: string;
    identifierType: DeliveryIdentifierType;
    sender: Sender;
    job: JobContext;
  }): Promise<number | undefined> {
    if (input.identifierType !== 'CHANNEL_SPECIFIC_OPAQUE_ID') return undefined;
    const searches: [property: string, value: string][] = [];
    const phone = input.sender.phone?.trim();
    const email = input.sender.email?.trim().toLowerCase();
    if (phone) searches.push(['phone', phone]);
    if (email) searches.push(['email', email]);
    for (const [property, value] of searches) {
      const contactId = await this.find(input, property, value);
      if (contactId !== undefined) return contactId;
    }
    return undefined;
  }

  private async find(
    input: { portal: InboundPortalApi; portalId: string; job: JobContext },
    property: string,
    value: string,
  ): Promise<number | undefined> {
    const key = `${input.portalId}|${property}|${value}`;
    const cached = this.matches.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let contactId: number | undefined;
    try {
      const contact = await input.portal.contacts.findOneBy(property, value);
      const id = contact ? Number(contact.id) : NaN;
      contactId = Number.isSafeInteger(id) ? id : undefined;
    } catch (error) {
      // The message matters more than the association: only a retryable failure before the
      // job's last attempt delays it.
      if (isRetryable(error) && input.job.attempt < input.job.maxAttempts) throw error;
      this.logger.warn(
        { portal: input.portalId, property, reason: reasonOf(error) },
        'contact search failed; the message is published without a contact',
      );
      this.matches.set(key, null, MISS_TTL_MS);
      return undefined;
    }
    if (contactId === undefined) this.matches.set(key, null, MISS_TTL_MS);
    else this.matches.set(key, contactId);
    return contactId;
  }
}
