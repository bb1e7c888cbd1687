import type { Request, Response } from 'express';
import { portalIdOf } from '../auth';
import { type CrmSearchRequest, type SearchableType, searchObjects } from '../crm-search';
import { normalizePhone } from '../identifiers';
import { CONTACTS_SEARCH } from '../openapi-docs';
import { contactPropertyOf, presentContact } from '../presenters';
import type { Contact } from '../types';
import { type RouteKit, route } from './route';

const lowerCase = (v: string) => v.trim().toLowerCase();

/**
 * Contacts as CRM search sees them. Emails compare case-insensitively; phone numbers compare
 * by their digits, so `+1 (415) 555-0100` finds a contact stored as `+14155550100` (HubSpot
 * keeps a normalised copy of phone properties for search; its exact rules are not documented).
 */
const searchableContacts: SearchableType<Contact> = {
  valueOf: contactPropertyOf,
  normalizerOf: (property) =>
    property === 'email'
      ? lowerCase
      : property === 'phone' || property === 'mobilephone'
        ? normalizePhone
        : undefined,
};

/** CRM contacts v3: search only (spec 6.7); contacts are seeded through the control API. */
export function registerContactRoutes(kit: RouteKit): void {
  const { ctx } = kit;

  // Same request and response shapes as tickets search; the body is validated against the
  // tickets document's schema (see addContactsSearch in openapi-docs.ts).
  route(kit, 'post', [CONTACTS_SEARCH], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const contacts = [...ctx.state.contacts.values()].filter((c) => c.portalId === portalId);
    const body = req.body as CrmSearchRequest;
    const found = searchObjects(contacts, body, searchableContacts);
    res.json({
      ...found,
      results: found.results.map((c) => presentContact(c, body.properties)),
    });
  });
}
