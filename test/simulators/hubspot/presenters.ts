import type {
  Channel,
  ChannelAccount,
  Contact,
  Inbox,
  Message,
  Owner,
  StoredFile,
  Thread,
  Ticket,
} from './types';
import type { SimState } from './state';

/** Record -> HubSpot JSON shapes (OpenAPI response schemas). */

export function presentChannel(c: Channel): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    webhookUrl: c.webhookUrl,
    channelAccountConnectionRedirectUrl: c.channelAccountConnectionRedirectUrl,
    channelDescription: c.channelDescription,
    channelLogoUrl: c.channelLogoUrl,
    capabilities: c.capabilities,
    createdAt: c.createdAt,
  };
}

export function presentAccount(a: ChannelAccount): Record<string, unknown> {
  return {
    id: a.id,
    channelId: a.channelId,
    inboxId: a.inboxId,
    name: a.name,
    active: a.active,
    archived: a.archived,
    authorized: a.authorized,
    createdAt: a.createdAt,
    ...(a.archivedAt ? { archivedAt: a.archivedAt } : {}),
    ...(a.deliveryIdentifier ? { deliveryIdentifier: a.deliveryIdentifier } : {}),
  };
}

export function presentMessage(m: Message): Record<string, unknown> {
  const { portalId: _p, statusHistory: _h, integrationIdempotencyId: _i, origin: _o, ...rest } = m;
  return rest;
}

export function presentThread(t: Thread, withAssociations: boolean): Record<string, unknown> {
  return {
    id: t.id,
    inboxId: t.inboxId,
    status: t.status,
    spam: t.spam,
    archived: t.archived,
    associatedContactId: t.associatedContactId,
    ...(t.assignedTo ? { assignedTo: t.assignedTo } : {}),
    originalChannelId: t.channelId,
    originalChannelAccountId: t.channelAccountId,
    createdAt: t.createdAt,
    ...(t.closedAt ? { closedAt: t.closedAt } : {}),
    ...(t.latestMessageTimestamp ? { latestMessageTimestamp: t.latestMessageTimestamp } : {}),
    ...(t.latestMessageSentTimestamp
      ? { latestMessageSentTimestamp: t.latestMessageSentTimestamp }
      : {}),
    ...(t.latestMessageReceivedTimestamp
      ? { latestMessageReceivedTimestamp: t.latestMessageReceivedTimestamp }
      : {}),
    ...(withAssociations
      ? { threadAssociations: t.ticketId ? { associatedTicketId: t.ticketId } : {} }
      : {}),
  };
}

export function presentInbox(i: Inbox): Record<string, unknown> {
  const { portalId: _p, ...rest } = i;
  return rest;
}

export function presentOwner(o: Owner, state: SimState): Record<string, unknown> {
  return {
    id: o.id,
    email: o.email,
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    type: 'PERSON',
    archived: o.archived,
    createdAt: o.createdAt,
    updatedAt: o.createdAt,
    teams: o.teamIds.map((id, i) => ({
      id,
      name: state.teams.get(id)?.name ?? id,
      primary: i === 0,
    })),
  };
}

export function presentTicket(
  t: Ticket,
  state: SimState,
  wanted?: string[],
  withAssociations?: string[],
): Record<string, unknown> {
  const defaults = [
    'hs_pipeline',
    'hs_pipeline_stage',
    'subject',
    'content',
    'hs_ticket_priority',
    'hubspot_owner_id',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
  ];
  const names = wanted && wanted.length > 0 ? wanted : defaults;
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = t.properties[n] ?? null;
  const out: Record<string, unknown> = {
    id: t.id,
    properties,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    archived: t.archived,
  };
  if (withAssociations && withAssociations.length > 0) {
    const assoc: Record<string, unknown> = {};
    for (const type of withAssociations) {
      const plural = crmTypeName(type);
      const results = state.associations
        .filter((a) => a.fromType === 'tickets' && a.fromId === t.id && a.toType === plural)
        .map((a) => ({ id: a.toId, type: `ticket_to_${plural.replace(/s$/, '')}` }));
      if (results.length > 0) assoc[plural] = { results };
    }
    out.associations = assoc;
  }
  return out;
}

/** A contact's CRM properties by HubSpot name; the record keeps only the ones the sim models. */
export function contactPropertyOf(c: Contact, name: string): string | undefined {
  switch (name) {
    case 'hs_object_id':
      return c.id;
    case 'email':
      return c.email;
    case 'phone':
      return c.phone;
    case 'mobilephone':
      return c.mobilephone;
    case 'firstname':
      return c.firstname;
    case 'lastname':
      return c.lastname;
    case 'hubspot_owner_id':
      return c.ownerId;
    case 'createdate':
    case 'lastmodifieddate':
      return c.createdAt;
    default:
      return undefined;
  }
}

/** `SimplePublicObject`; without `properties` HubSpot answers its contact defaults. */
export function presentContact(c: Contact, wanted?: string[]): Record<string, unknown> {
  const defaults = [
    'createdate',
    'email',
    'firstname',
    'hs_object_id',
    'lastmodifieddate',
    'lastname',
  ];
  const names = wanted && wanted.length > 0 ? wanted : defaults;
  const properties: Record<string, string | null> = {};
  for (const n of names) properties[n] = contactPropertyOf(c, n) ?? null;
  return { id: c.id, properties, createdAt: c.createdAt, updatedAt: c.createdAt, archived: false };
}

export function presentFile(f: StoredFile, baseUrl: string): Record<string, unknown> {
  const hosted = `${baseUrl}/__sim/hubfs/${f.portalId}/${f.id}/${encodeURIComponent(`${f.name}${f.extension ? `.${f.extension}` : ''}`)}`;
  return {
    id: f.id,
    name: f.name,
    path: f.path,
    size: f.size,
    type: fileTypeOf(f.contentType, f.extension),
    extension: f.extension,
    encoding: f.contentType,
    url: hosted,
    defaultHostingUrl: hosted,
    access: f.access,
    parentFolderId: f.parentFolderId,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    archived: f.archived,
    fileMd5: f.md5,
    isUsableInContent: true,
    sourceGroup: 'CONVERSATIONS',
  };
}

export function fileTypeOf(contentType: string, extension: string): string {
  if (contentType.startsWith('image/')) return 'IMG';
  if (contentType.startsWith('audio/')) return 'AUDIO';
  if (contentType.startsWith('video/')) return 'MOVIE';
  if (/^(pdf|docx?|xlsx?|pptx?|txt|csv|odt)$/i.test(extension)) return 'DOCUMENT';
  return 'OTHER';
}

/** CRM object type names: accepts 'ticket', 'tickets', '0-5', 'contact', 'contacts', '0-1'. */
export function crmTypeName(t: string): string {
  const s = t.toLowerCase();
  if (s === 'ticket' || s === 'tickets' || s === '0-5') return 'tickets';
  if (s === 'contact' || s === 'contacts' || s === '0-1') return 'contacts';
  return s;
}
