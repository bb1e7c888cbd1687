import { Router } from 'express';
import { pingAppservice } from '../appservice/ping';
import type { SimCore } from '../core';
import { requester } from '../http/context';
import { forbidden } from '../http/errors';
import { asString } from '../util/json';
import { jsonBody, param } from './helpers';

/** `POST /_matrix/client/v1/appservice/{appserviceId}/ping` (as_token of that AS only). */
export function appserviceRoutes(core: SimCore): Router {
  const r = Router();
  r.post('/_matrix/client/v1/appservice/:appserviceId/ping', async (req, res) => {
    const reg = requester(res).appservice;
    if (!reg || reg.id !== param(req, 'appserviceId')) {
      throw forbidden("Provided access token is not the appservice's as_token");
    }
    res.json(
      await pingAppservice(
        reg,
        asString(jsonBody(res).transaction_id),
        core.pusher.config.requestTimeoutMs,
      ),
    );
  });
  return r;
}
