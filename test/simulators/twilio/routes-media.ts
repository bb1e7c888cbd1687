import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { accountOf } from './auth';
import type { SimContext } from './context';
import { errors } from './errors';
import { pageOf, pageParams } from './paging';
import { param, record } from './request-params';
import { mediaJson } from './resources';
import type { MediaItem, MessageRecord } from './types';

const BASE = '/2010-04-01/Accounts/:AccountSid/Messages/:MessageSid/Media';
export const MEDIA_CONTENT_PATH =
  /^\/2010-04-01\/Accounts\/[^/]+\/Messages\/[^/]+\/Media\/ME[0-9a-fA-F]{32}$/;
export const MEDIA_STORAGE_PREFIX = '/__sim/media-storage/';

export function mediaRoutes(ctx: SimContext): Router {
  const router = Router();

  const findMessage = (accountSid: string, sid: string, path: string): MessageRecord => {
    const message = ctx.store.messages.get(sid);
    if (!message || message.accountSid !== accountSid) throw errors.notFound(path);
    return message;
  };
  const findItem = (message: MessageRecord, sid: string, path: string): MediaItem => {
    const item = message.media.find((m) => m.sid === sid);
    if (!item) throw errors.notFound(path);
    return item;
  };

  router.get(`${BASE}.json`, (req, res) => {
    const message = findMessage(accountOf(res).sid, param(req, 'MessageSid'), req.path);
    const list = message.media.map(mediaJson);
    res.json(
      pageOf('media_list', list, { path: req.path, filters: {}, ...pageParams(record(req.query)) }),
    );
  });

  router.get(`${BASE}/:Sid.json`, (req, res) => {
    const message = findMessage(accountOf(res).sid, param(req, 'MessageSid'), req.path);
    res.json(mediaJson(findItem(message, param(req, 'Sid'), req.path)));
  });

  router.delete(`${BASE}/:Sid.json`, (req, res) => {
    const message = findMessage(accountOf(res).sid, param(req, 'MessageSid'), req.path);
    const item = findItem(message, param(req, 'Sid'), req.path);
    message.media = message.media.filter((m) => m !== item);
    res.status(204).end();
  });

  /** The media content URL (no .json): bytes, via a redirect to short-lived storage by default. */
  router.get(`${BASE}/:Sid`, (req, res) => {
    const message = findMessage(param(req, 'AccountSid'), param(req, 'MessageSid'), req.path);
    const item = findItem(message, param(req, 'Sid'), req.path);
    if (!item.data) {
      if (item.sourceUrl) return res.redirect(302, item.sourceUrl);
      throw errors.notFound(req.path);
    }
    if (ctx.options.mediaRedirect) {
      const token = randomBytes(16).toString('hex');
      ctx.store.mediaTokens.set(token, {
        mediaSid: item.sid,
        expires: Date.now() + ctx.options.mediaLinkTtlMs,
      });
      return res.redirect(307, `${ctx.publicBaseUrl()}${MEDIA_STORAGE_PREFIX}${token}`);
    }
    res.type(item.contentType).send(item.data);
  });

  return router;
}

/** Unauthenticated short-lived storage links, like the pre-signed URLs Twilio redirects to. */
export function mediaStorageRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get(`${MEDIA_STORAGE_PREFIX}:token`, (req, res) => {
    const link = ctx.store.mediaTokens.get(param(req, 'token'));
    const found =
      link && link.expires > Date.now() ? ctx.store.findMedia(link.mediaSid) : undefined;
    const item = found?.message.media[found.index];
    if (!item?.data) {
      res.status(403).type('application/xml').send('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    res.type(item.contentType).send(item.data);
  });
  return router;
}
