import { Router, type Response } from 'express';
import type { SimCore } from '../core';
import { requester } from '../http/context';
import { invalidParam } from '../http/errors';
import { describeErrors } from '../spec/error-text';
import { EMPTY_FILTER, parseFilter, type SyncFilter } from '../sync/filter';
import { buildSync, type SyncRequest } from '../sync/sync-builder';
import { isRecord } from '../util/json';
import { query, queryString } from './helpers';

function resolveFilter(core: SimCore, userId: string, raw: string | undefined): SyncFilter {
  if (raw === undefined) return EMPTY_FILTER;
  if (raw.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw invalidParam('filter: inline filter is not valid JSON');
    }
    const fn = core.registry.validator('api/client-server/definitions/sync_filter.yaml');
    if (!isRecord(parsed) || !fn(parsed)) {
      throw invalidParam(`filter: ${describeErrors(fn.errors, 'filter')} (sync_filter.yaml)`);
    }
    return parseFilter(parsed);
  }
  const stored = core.store.filters.get(`${userId}/${raw}`);
  if (!stored) throw invalidParam(`filter: unknown filter id ${raw}`);
  return parseFilter(stored);
}

function parseSince(raw: string | undefined, current: number): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^s(\d+)$/.exec(raw);
  if (!m) throw invalidParam(`since: unknown sync token '${raw}'`);
  return Math.min(Number(m[1]), current);
}

/** Waits until the store changes, the timeout passes or the client goes away. */
function waitForChange(core: SimCore, res: Response, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      core.store.off('change', done);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    core.store.on('change', done);
    res.on('close', done);
  });
}

/** `GET /sync` with since tokens `s<pos>`, long-poll `timeout`, inline or stored filters. */
export function syncRoutes(core: SimCore): Router {
  const r = Router();
  r.get('/_matrix/client/v3/sync', async (_req, res) => {
    const who = requester(res);
    const request: SyncRequest = {
      userId: who.userId,
      scope: who.scope,
      since: parseSince(queryString(res, 'since'), core.store.pos),
      filter: resolveFilter(core, who.userId, queryString(res, 'filter')),
      fullState: query(res, 'full_state') === true,
    };
    const timeout = query(res, 'timeout');
    const deadline = Date.now() + (typeof timeout === 'number' ? Math.max(0, timeout) : 0);
    let result = buildSync(core.store, request);
    while (
      result.empty &&
      request.since !== undefined &&
      Date.now() < deadline &&
      !res.writableEnded
    ) {
      await waitForChange(core, res, deadline - Date.now());
      if (res.destroyed) return;
      result = buildSync(core.store, request);
    }
    if (!res.destroyed) res.json(result.body);
  });
  return r;
}
