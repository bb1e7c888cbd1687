import type { SimContext } from './context';
import { validationError } from './errors';
import { normalizePhone } from './identifiers';
import type { ChannelAccount, Contact, DeliveryIdentifier, Owner, Thread, Ticket } from './types';

/** HubSpot-defined association type ids (spec 10.3): ticket->contact 16, contact->ticket 15. */
export const TICKET_TO_CONTACT = 16;
export const CONTACT_TO_TICKET = 15;

export interface ContactHints {
  associateWithContactId?: number;
  preResolvedContactId?: number;
  identifier: DeliveryIdentifier;
  name?: string;
  mayCreate: boolean;
}

/**
 * Contact resolution for a new thread (spec 6.7): associateWithContactId, then
 * preResolvedContacts, then a contact whose email / phone equals the sender's HS_EMAIL_ADDRESS /
 * HS_PHONE_NUMBER identifier. An unknown email creates a contact when the token may write
 * contacts (Email capture). Opaque identifiers stay unassociated.
 */
export function resolveContact(
  ctx: SimContext,
  portalId: string,
  hints: ContactHints,
): Contact | undefined {
  const forced = hints.associateWithContactId ?? hints.preResolvedContactId;
  if (forced !== undefined) {
    const c = ctx.state.contacts.get(String(forced));
    if (!c || c.portalId !== portalId) {
      throw validationError(`Contact ${forced} does not exist`, [
        { message: `contact ${forced} not found`, in: 'associateWithContactId' },
      ]);
    }
    return c;
  }
  const contacts = [...ctx.state.contacts.values()].filter((c) => c.portalId === portalId);
  const { type, value } = hints.identifier;
  if (type === 'HS_EMAIL_ADDRESS') {
    const found = contacts.find((c) => c.email?.toLowerCase() === value.toLowerCase());
    if (found || !hints.mayCreate) return found;
    const [firstname, ...rest] = (hints.name ?? '').split(' ');
    return createContact(ctx, portalId, {
      email: value.toLowerCase(),
      firstname: firstname || undefined,
      lastname: rest.join(' ') || undefined,
    });
  }
  if (type === 'HS_PHONE_NUMBER') {
    const wanted = normalizePhone(value);
    return contacts.find((c) => c.phone !== undefined && normalizePhone(c.phone) === wanted);
  }
  return undefined;
}

export function createContact(
  ctx: SimContext,
  portalId: string,
  fields: Omit<Contact, 'id' | 'portalId' | 'createdAt'>,
): Contact {
  const contact: Contact = {
    ...fields,
    id: ctx.state.nextId('contact', 50_000),
    portalId,
    createdAt: new Date().toISOString(),
  };
  ctx.state.contacts.set(contact.id, contact);
  return contact;
}

/** Picks the owner for a new thread/ticket from the account's routing rule (spec 10.3). */
export function pickOwner(
  ctx: SimContext,
  account: ChannelAccount,
  contact?: Contact,
): Owner | undefined {
  const rule = account.routing.assignment;
  const owners = ctx.state.ownersOf(account.portalId).filter((o) => !o.archived);
  if (rule.type === 'NONE') return undefined;
  if (rule.type === 'CONTACT_OWNER') {
    if (!contact?.ownerId) return undefined;
    return owners.find((o) => o.id === contact.ownerId);
  }
  const userIds = new Set(rule.userIds ?? []);
  const teams = new Set(rule.teamIds ?? []);
  // Only main-team members of selected teams are routed to (knowledge base).
  const pool = owners.filter(
    (o) => userIds.has(o.userId) || (o.teamIds[0] !== undefined && teams.has(o.teamIds[0])),
  );
  if (pool.length === 0) return undefined;
  const owner = pool[account.roundRobin % pool.length];
  account.roundRobin++;
  return owner;
}

/** Help-desk accounts: one ticket per new thread, associated with the thread and the contact. */
export function createTicketForThread(
  ctx: SimContext,
  account: ChannelAccount,
  thread: Thread,
  firstText: string,
  owner: Owner | undefined,
): Ticket {
  const now = new Date().toISOString();
  const id = ctx.state.nextId('ticket', 700_000);
  const who = thread.customerName ?? thread.customerIdentifier.value;
  const properties: Record<string, string> = {
    subject: `New conversation with ${who}`,
    content: firstText,
    hs_pipeline: '0',
    hs_pipeline_stage: '1',
    hs_ticket_priority: 'MEDIUM',
    source_type: 'CHAT',
    hs_conversations_originating_thread_id: thread.id,
    ...account.routing.ticketProperties,
    createdate: now,
    hs_lastmodifieddate: now,
    hs_object_id: id,
  };
  if (owner) properties.hubspot_owner_id = owner.id;
  const ticket: Ticket = {
    id,
    portalId: account.portalId,
    properties,
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
  ctx.state.tickets.set(id, ticket);
  thread.ticketId = id;
  ctx.state.associate(
    {
      portalId: account.portalId,
      fromType: 'tickets',
      fromId: id,
      toType: 'conversations',
      toId: thread.id,
    },
    0,
    'HUBSPOT_DEFINED',
  );
  if (thread.contactId) linkTicketContact(ctx, account.portalId, id, thread.contactId);
  return ticket;
}

export function linkTicketContact(
  ctx: SimContext,
  portalId: string,
  ticketId: string,
  contactId: string,
): void {
  ctx.state.associate(
    { portalId, fromType: 'tickets', fromId: ticketId, toType: 'contacts', toId: contactId },
    TICKET_TO_CONTACT,
  );
  ctx.state.associate(
    { portalId, fromType: 'contacts', fromId: contactId, toType: 'tickets', toId: ticketId },
    CONTACT_TO_TICKET,
  );
}
