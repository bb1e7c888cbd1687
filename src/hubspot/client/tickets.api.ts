import type { components, paths } from './generated/tickets-v3';
import type { HubSpotHttp } from './hubspot-http';
import type { Operation, QueryOf } from './op-types';
import { expandPath } from './path';

type Schemas = components['schemas'];
const TICKETS = '/crm/v3/objects/tickets' as const;
const TICKET = '/crm/v3/objects/tickets/{ticketId}' as const;
const SEARCH = '/crm/v3/objects/tickets/search' as const;

export type TicketCreate = Schemas['SimplePublicObjectInputForCreate'];
export type TicketUpdate = Schemas['SimplePublicObjectInput'];
export type Ticket = Schemas['SimplePublicObject'];
export type TicketWithAssociations = Schemas['SimplePublicObjectWithAssociations'];
export type TicketGetQuery = QueryOf<Operation<paths, typeof TICKET, 'get'>>;
export type TicketSearchRequest = Schemas['PublicObjectSearchRequest'];
export type TicketSearchPage = Schemas['CollectionResponseWithTotalSimplePublicObject'];

/** CRM tickets v3 (spec 10.3), with the portal's OAuth token. */
export class TicketsApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly portalId: string,
  ) {}

  /** Creates a ticket, optionally associated (e.g. to a contact, type id 16). */
  create(ticket: TicketCreate): Promise<Ticket> {
    return this.http.json({ method: 'POST', path: TICKETS, auth: this.auth(), json: ticket });
  }

  get(ticketId: string, query: TicketGetQuery = {}): Promise<TicketWithAssociations> {
    return this.http.json({
      method: 'GET',
      path: expandPath(TICKET, { ticketId }),
      query,
      auth: this.auth(),
    });
  }

  update(ticketId: string, update: TicketUpdate): Promise<Ticket> {
    return this.http.json({
      method: 'PATCH',
      path: expandPath(TICKET, { ticketId }),
      auth: this.auth(),
      json: update,
    });
  }

  /** CRM search; counts against the separate, lower search rate limit too. */
  search(request: TicketSearchRequest): Promise<TicketSearchPage> {
    return this.http.json({
      method: 'POST',
      path: SEARCH,
      auth: this.auth(),
      json: request,
      kind: 'search',
    });
  }

  private auth(): { type: 'portal'; portalId: string } {
    return { type: 'portal', portalId: this.portalId };
  }
}
