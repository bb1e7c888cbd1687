import type { components } from './generated/tickets-v3';
import type { HubSpotHttp } from './hubspot-http';

type Schemas = components['schemas'];
const SEARCH = '/crm/v3/objects/contacts/search' as const;

/**
 * CRM search has one request and response shape for every object type; HubSpot's public spec
 * collection has no contacts document, so the tickets document's generic schemas stand in.
 */
export type ContactSearchRequest = Schemas['PublicObjectSearchRequest'];
export type ContactSearchPage = Schemas['CollectionResponseWithTotalSimplePublicObject'];
export type Contact = Schemas['SimplePublicObject'];

/** CRM contacts (spec 6.7): finding the contact a customer's phone or email belongs to. */
export class ContactsApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
  ) {}

  /** CRM search; counts against the separate, lower search rate limit too. */
  search(request: ContactSearchRequest): Promise<ContactSearchPage> {
    return this.http.json({
      method: 'POST',
      path: SEARCH,
      auth: { type: 'portal', portalId: this.portalId },
      json: request,
      kind: 'search',
    });
  }

  /** The oldest contact whose `property` equals `value` exactly (e.g. phone, email), if any. */
  async findOneBy(property: string, value: string): Promise<Contact | undefined> {
    const page = await this.search({
      filterGroups: [{ filters: [{ propertyName: property, operator: 'EQ', value }] }],
      properties: ['email', 'phone', 'mobilephone', 'firstname', 'lastname', 'hubspot_owner_id'],
      sorts: ['createdate'],
      limit: 1,
      after: '0',
    });
    return page.results[0];
  }
}
