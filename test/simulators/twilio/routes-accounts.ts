import { Router } from 'express';
import { accountOf } from './auth';
import type { SimContext } from './context';
import { errors } from './errors';
import { pageOf, pageParams } from './paging';
import { param, record, str } from './request-params';
import { accountJson, phoneNumberJson } from './resources';

const NUMBERS = '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers';

export function accountRoutes(ctx: SimContext): Router {
  const router = Router();

  router.get('/2010-04-01/Accounts/:Sid.json', (req, res) => {
    const account = accountOf(res);
    if (param(req, 'Sid') !== account.sid) throw errors.notFound(req.path);
    res.json(accountJson(account));
  });

  router.get(`${NUMBERS}.json`, (req, res) => {
    const account = accountOf(res);
    const query = record(req.query);
    const phone = str(query, 'PhoneNumber');
    const name = str(query, 'FriendlyName');
    const list = [...ctx.store.numbers.values()]
      .filter((n) => n.accountSid === account.sid)
      .filter((n) => (phone ? n.phoneNumber.includes(phone.replace(/\*/g, '')) : true))
      .filter((n) => (name ? n.friendlyName === name : true))
      .map(phoneNumberJson);
    const filters: Record<string, string> = {};
    if (phone) filters.PhoneNumber = phone;
    if (name) filters.FriendlyName = name;
    res.json(
      pageOf('incoming_phone_numbers', list, { path: req.path, filters, ...pageParams(query) }),
    );
  });

  router.get(`${NUMBERS}/:Sid.json`, (req, res) => {
    const number = ctx.store.numberBySid(accountOf(res).sid, param(req, 'Sid'));
    if (!number) throw errors.notFound(req.path);
    res.json(phoneNumberJson(number));
  });

  return router;
}
