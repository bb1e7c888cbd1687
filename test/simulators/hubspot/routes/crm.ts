import type { Request, Response } from 'express';
import { portalIdOf } from '../auth';
import { notFound, validationError } from '../errors';
import { type CrmSearchRequest, type SearchableType, searchObjects } from '../crm-search';
import { CONTACT_TO_TICKET, linkTicketContact } from '../helpdesk';
import { crmTypeName, presentOwner, presentTicket } from '../presenters';
import type { Ticket } from '../types';
import { paginate, type RouteKit, route } from './route';

/** Ticket properties as CRM search sees them (`hs_object_id` is the record id). */
const searchableTickets: SearchableType<Ticket> = {
  valueOf: (t, property) => (property === 'hs_object_id' ? t.id : t.properties[property]),
};

const T = '/crm/v3/objects/tickets';
const asArray = (v: unknown): string[] =>
  v === undefined
    ? []
    : (Array.isArray(v) ? v.map(String) : [String(v)]).flatMap((s) => s.split(','));

/** CRM tickets v3, associations v4 and owners v3 subsets (spec 10.3). */
export function registerCrmRoutes(kit: RouteKit): void {
  const { ctx } = kit;

  const findTicket = (req: Request, res: Response): Ticket => {
    const t = ctx.state.tickets.get(String(req.params.ticketId));
    if (!t || t.portalId !== portalIdOf(res) || t.archived)
      throw notFound(`Object not found.  objectId are usually numeric.`);
    return t;
  };

  route(kit, 'post', [T], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const body = req.body as {
      properties: Record<string, string>;
      associations: {
        to: { id: string };
        types: { associationCategory: string; associationTypeId: number }[];
      }[];
    };
    for (const p of ['subject', 'hs_pipeline_stage']) {
      if (!body.properties[p]) {
        throw validationError(`Property ${p} is required`, [
          { message: `${p} is required`, in: p, code: 'REQUIRED' },
        ]);
      }
    }
    const now = new Date().toISOString();
    const id = ctx.state.nextId('ticket', 700_000);
    const ticket: Ticket = {
      id,
      portalId,
      properties: {
        hs_pipeline: '0',
        ...body.properties,
        createdate: now,
        hs_lastmodifieddate: now,
        hs_object_id: id,
      },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    for (const a of body.associations) {
      const contact = ctx.state.contacts.get(a.to.id);
      if (!contact || contact.portalId !== portalId) {
        throw validationError(`Associated object ${a.to.id} does not exist`, [
          { message: 'unknown association target', in: 'associations' },
        ]);
      }
    }
    ctx.state.tickets.set(id, ticket);
    for (const a of body.associations) linkTicketContact(ctx, portalId, id, a.to.id);
    res.status(201).json(presentTicket(ticket, ctx.state, Object.keys(ticket.properties)));
  });

  route(kit, 'get', [T], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const all = [...ctx.state.tickets.values()].filter(
      (t) => t.portalId === portalId && !t.archived,
    );
    const page = paginate(all, req.query.after, req.query.limit, 10);
    res.json({
      ...page,
      results: page.results.map((t) =>
        presentTicket(t, ctx.state, asArray(req.query.properties), asArray(req.query.associations)),
      ),
    });
  });

  route(kit, 'get', [`${T}/{ticketId}`], 'portal', (req: Request, res: Response) => {
    res.json(
      presentTicket(
        findTicket(req, res),
        ctx.state,
        asArray(req.query.properties),
        asArray(req.query.associations),
      ),
    );
  });

  route(kit, 'patch', [`${T}/{ticketId}`], 'portal', (req: Request, res: Response) => {
    const t = findTicket(req, res);
    const body = req.body as { properties: Record<string, string> };
    Object.assign(t.properties, body.properties);
    t.updatedAt = new Date().toISOString();
    t.properties.hs_lastmodifieddate = t.updatedAt;
    res.json(presentTicket(t, ctx.state, Object.keys(t.properties)));
  });

  route(kit, 'delete', [`${T}/{ticketId}`], 'portal', (req: Request, res: Response) => {
    findTicket(req, res).archived = true;
    res.status(204).end();
  });

  route(kit, 'post', [`${T}/search`], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const tickets = [...ctx.state.tickets.values()].filter(
      (t) => t.portalId === portalId && !t.archived,
    );
    const body = req.body as CrmSearchRequest;
    const found = searchObjects(tickets, body, searchableTickets);
    res.json({
      ...found,
      results: found.results.map((t) => presentTicket(t, ctx.state, body.properties)),
    });
  });

  const A = '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}';
  route(kit, 'get', [A], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const from = crmTypeName(String(req.params.objectType));
    const to = crmTypeName(String(req.params.toObjectType));
    const all = ctx.state.associations.filter(
      (a) =>
        a.portalId === portalId &&
        a.fromType === from &&
        a.fromId === String(req.params.objectId) &&
        a.toType === to,
    );
    const page = paginate(all, req.query.after, req.query.limit, 500);
    res.json({
      ...page,
      // The document types toObjectId as string and label as an optional string (real responses
      // have been seen with numbers and null labels; clients should accept both).
      results: page.results.map((a) => ({
        toObjectId: a.toId,
        associationTypes: a.typeIds.map((t) => ({ category: t.category, typeId: t.typeId })),
      })),
    });
  });

  const putAssociation = (req: Request, res: Response, typeId: number, category: string) => {
    const portalId = portalIdOf(res);
    const from = crmTypeName(String(req.params.objectType ?? req.params.fromObjectType));
    const fromId = String(req.params.objectId ?? req.params.fromObjectId);
    const to = crmTypeName(String(req.params.toObjectType));
    const toId = String(req.params.toObjectId);
    const exists = (type: string, id: string) =>
      type === 'tickets'
        ? ctx.state.tickets.get(id)?.portalId === portalId
        : type === 'contacts'
          ? ctx.state.contacts.get(id)?.portalId === portalId
          : false;
    if (!exists(from, fromId) || !exists(to, toId))
      throw notFound('One or both objects of the association do not exist');
    if (from === 'tickets' && to === 'contacts' && typeId === 16)
      linkTicketContact(ctx, portalId, fromId, toId);
    else if (from === 'contacts' && to === 'tickets' && typeId === CONTACT_TO_TICKET)
      linkTicketContact(ctx, portalId, toId, fromId);
    else
      ctx.state.associate({ portalId, fromType: from, fromId, toType: to, toId }, typeId, category);
    return { from, fromId, to, toId };
  };

  route(kit, 'put', [`${A}/{toObjectId}`], 'portal', (req: Request, res: Response) => {
    const specs = req.body as { associationCategory: string; associationTypeId: number }[];
    let r = { from: '', fromId: '', to: '', toId: '' };
    for (const s of specs) r = putAssociation(req, res, s.associationTypeId, s.associationCategory);
    res.status(201).json({
      fromObjectTypeId: r.from,
      fromObjectId: r.fromId,
      toObjectTypeId: r.to,
      toObjectId: r.toId,
      labels: [],
    });
  });

  route(
    kit,
    'put',
    [
      '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}',
    ],
    'portal',
    (req: Request, res: Response) => {
      const from = crmTypeName(String(req.params.fromObjectType));
      const typeId = from === 'tickets' ? 16 : CONTACT_TO_TICKET;
      const r = putAssociation(req, res, typeId, 'HUBSPOT_DEFINED');
      const now = new Date().toISOString();
      res.json({
        status: 'COMPLETE',
        results: [
          {
            from: { id: r.fromId },
            to: { id: r.toId },
            associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId },
          },
        ],
        startedAt: now,
        completedAt: now,
      });
    },
  );

  route(kit, 'delete', [`${A}/{toObjectId}`], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const from = crmTypeName(String(req.params.objectType));
    const to = crmTypeName(String(req.params.toObjectType));
    const fromId = String(req.params.objectId);
    const toId = String(req.params.toObjectId);
    ctx.state.associations = ctx.state.associations.filter(
      (a) =>
        !(
          a.portalId === portalId &&
          ((a.fromType === from && a.fromId === fromId && a.toType === to && a.toId === toId) ||
            (a.fromType === to && a.fromId === toId && a.toType === from && a.toId === fromId))
        ),
    );
    res.status(204).end();
  });

  route(kit, 'get', ['/crm/v3/owners'], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const archived = String(req.query.archived) === 'true';
    const email = typeof req.query.email === 'string' ? req.query.email.toLowerCase() : undefined;
    const all = ctx.state
      .ownersOf(portalId)
      .filter((o) => o.archived === archived && (!email || o.email === email));
    const page = paginate(all, req.query.after, req.query.limit, 100);
    res.json({ ...page, results: page.results.map((o) => presentOwner(o, ctx.state)) });
  });

  route(kit, 'get', ['/crm/v3/owners/{ownerId}'], 'portal', (req: Request, res: Response) => {
    const portalId = portalIdOf(res);
    const id = String(req.params.ownerId);
    const byUser = req.query.idProperty === 'userId';
    const o = ctx.state
      .ownersOf(portalId)
      .find((x) => (byUser ? String(x.userId) === id : x.id === id));
    if (!o) throw notFound(`Owner ${id} does not exist`);
    res.json(presentOwner(o, ctx.state));
  });
}
