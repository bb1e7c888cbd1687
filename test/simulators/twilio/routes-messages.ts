import { Router } from 'express';
import { accountOf } from './auth';
import type { SimContext } from './context';
import { errors } from './errors';
import { createOutboundMessage } from './message-create';
import { pageOf, pageParams } from './paging';
import { record, num, param, str, strList } from './request-params';
import { messageJson } from './resources';
import type { MessageRecord } from './types';

const BASE = '/2010-04-01/Accounts/:AccountSid/Messages';
const FINAL = ['delivered', 'undelivered', 'failed', 'received', 'read', 'canceled', 'sent'];

function sameDay(date: Date | null, day: string): boolean {
  return date !== null && date.toISOString().slice(0, 10) === day.slice(0, 10);
}

function filterByDate(messages: MessageRecord[], query: Record<string, unknown>): MessageRecord[] {
  const on = str(query, 'DateSent');
  const before = str(query, 'DateSent<');
  const after = str(query, 'DateSent>');
  return messages.filter((m) => {
    const day = m.dateSent?.toISOString().slice(0, 10);
    if (on && !sameDay(m.dateSent, on)) return false;
    if (before && (!day || day > before.slice(0, 10))) return false;
    if (after && (!day || day < after.slice(0, 10))) return false;
    return true;
  });
}

export function messageRoutes(ctx: SimContext): Router {
  const router = Router();

  const find = (accountSid: string, sid: string, path: string): MessageRecord => {
    const message = ctx.store.messages.get(sid);
    if (!message || message.accountSid !== accountSid) throw errors.notFound(path);
    return message;
  };

  router.post(`${BASE}.json`, (req, res) => {
    const body = record(req.body);
    const message = createOutboundMessage(ctx, accountOf(res), {
      To: str(body, 'To') ?? '',
      From: str(body, 'From'),
      MessagingServiceSid: str(body, 'MessagingServiceSid'),
      Body: str(body, 'Body'),
      MediaUrl: strList(body, 'MediaUrl'),
      ContentSid: str(body, 'ContentSid'),
      StatusCallback: str(body, 'StatusCallback'),
      ValidityPeriod: num(body, 'ValidityPeriod'),
      ScheduleType: str(body, 'ScheduleType'),
      SendAt: str(body, 'SendAt'),
    });
    res.status(201).json(messageJson(message));
  });

  router.get(`${BASE}.json`, (req, res) => {
    const account = accountOf(res);
    const query = record(req.query);
    const to = str(query, 'To');
    const from = str(query, 'From');
    const all = [...ctx.store.messages.values()]
      .filter((m) => m.accountSid === account.sid)
      .filter((m) => (to ? m.to === to : true) && (from ? m.from === from : true))
      .reverse();
    const filters: Record<string, string> = {};
    for (const name of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']) {
      const value = str(query, name);
      if (value !== undefined) filters[name] = value;
    }
    const list = filterByDate(all, query).map(messageJson);
    res.json(pageOf('messages', list, { path: req.path, filters, ...pageParams(query) }));
  });

  router.get(`${BASE}/:Sid.json`, (req, res) => {
    res.json(messageJson(find(accountOf(res).sid, param(req, 'Sid'), req.path)));
  });

  router.post(`${BASE}/:Sid.json`, (req, res) => {
    const message = find(accountOf(res).sid, param(req, 'Sid'), req.path);
    const body = record(req.body);
    const status = str(body, 'Status');
    if (status !== undefined) {
      if (status !== 'canceled' || message.status !== 'scheduled') throw errors.cannotCancel();
      ctx.pipeline.transition(message, 'canceled');
    }
    if (str(body, 'Body') === '') {
      message.body = '';
      message.dateUpdated = new Date();
    }
    res.json(messageJson(message));
  });

  router.delete(`${BASE}/:Sid.json`, (req, res) => {
    const message = find(accountOf(res).sid, param(req, 'Sid'), req.path);
    if (!FINAL.includes(message.status)) throw errors.deleteInProgress();
    ctx.store.messages.delete(message.sid);
    res.status(204).end();
  });

  return router;
}
