import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { ControlError, type SimulatorControl } from './control';
import { TwilioApiError } from './errors';
import type { FaultRule } from './faults';
import type { InjectInboundInput } from './inbound';
import { param, record, str } from './request-params';
import type { DestinationRule, ProxyRoute } from './types';
import { messageView } from './views';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function required(body: Record<string, unknown>, name: string): string {
  const value = str(body, name);
  if (!value) throw new ControlError(400, `${name} is required`);
  return value;
}

/** Test-control API under /__sim (loopback only, no auth, JSON). */
export function controlRoutes(control: SimulatorControl): Router {
  const router = Router();
  router.use('/__sim', (req: Request, res: Response, next: NextFunction) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.status(403).json({ error: 'control API is loopback-only' });
      return;
    }
    next();
  });
  router.use('/__sim', express.json({ limit: '20mb' }));

  router.get('/__sim/health', (_req, res) => {
    res.json({ ok: true });
  });
  router.post('/__sim/reset', (_req, res) => {
    control.reset();
    res.json({ ok: true });
  });
  router.post('/__sim/accounts', (req, res) => {
    res.status(201).json(control.createAccount(record(req.body)));
  });
  router.post('/__sim/accounts/:sid/keys', (req, res) => {
    res.status(201).json(control.addApiKey(param(req, 'sid'), record(req.body)));
  });
  router.post('/__sim/phone-numbers', (req, res) => {
    const body = record(req.body);
    required(body, 'accountSid');
    required(body, 'phoneNumber');
    res
      .status(201)
      .json(
        control.createPhoneNumber(
          body as unknown as Parameters<SimulatorControl['createPhoneNumber']>[0],
        ),
      );
  });
  router.post('/__sim/messaging-services', (req, res) => {
    const body = record(req.body);
    required(body, 'accountSid');
    res
      .status(201)
      .json(
        control.createMessagingService(
          body as unknown as Parameters<SimulatorControl['createMessagingService']>[0],
        ),
      );
  });
  router.post('/__sim/destinations', (req, res) => {
    const body = record(req.body);
    required(body, 'number');
    required(body, 'behavior');
    res.status(201).json(control.setDestination(body as unknown as DestinationRule));
  });
  router.delete('/__sim/destinations/:number', (req, res) => {
    control.clearDestination(param(req, 'number'));
    res.status(204).end();
  });
  router.get('/__sim/opt-outs', (_req, res) => {
    res.json(control.optOuts());
  });
  router.post('/__sim/opt-outs', (req, res) => {
    const body = record(req.body);
    res.status(201).json(control.addOptOut(required(body, 'sender'), required(body, 'customer')));
  });
  router.delete('/__sim/opt-outs', (req, res) => {
    const body = record(req.body);
    control.removeOptOut(required(body, 'sender'), required(body, 'customer'));
    res.status(204).end();
  });
  router.post('/__sim/proxy-routes', (req, res) => {
    const body = record(req.body);
    required(body, 'publicBaseUrl');
    required(body, 'targetBaseUrl');
    res.status(201).json(control.addProxyRoute(body as unknown as ProxyRoute));
  });
  router.get('/__sim/faults', (_req, res) => {
    res.json(control.faults());
  });
  router.post('/__sim/faults', (req, res) => {
    const body = record(req.body);
    required(body, 'kind');
    res.status(201).json(control.addFault(body as unknown as FaultRule));
  });
  router.delete('/__sim/faults', (_req, res) => {
    control.clearFaults();
    res.status(204).end();
  });
  router.delete('/__sim/faults/:id', (req, res) => {
    res.status(control.removeFault(param(req, 'id')) ? 204 : 404).end();
  });
  router.post('/__sim/inbound', async (req, res) => {
    const body = record(req.body);
    required(body, 'from');
    required(body, 'to');
    const result = await control.injectInbound(body as unknown as InjectInboundInput);
    res.status(201).json({
      message: messageView(result.message),
      delivery: result.delivery,
      fallbackDelivery: result.fallbackDelivery,
      replies: result.replies.map(messageView),
    });
  });
  router.get('/__sim/messages', (req, res) => {
    const query = record(req.query);
    res.json(control.messages({ to: str(query, 'to'), from: str(query, 'from') }).map(messageView));
  });
  router.get('/__sim/messages/:sid', (req, res) => {
    const message = control.message(param(req, 'sid'));
    if (!message) throw new ControlError(404, 'unknown message');
    res.json({ ...messageView(message), webhooks: control.webhooks({ messageSid: message.sid }) });
  });
  router.get('/__sim/webhooks', (req, res) => {
    const query = record(req.query);
    const kind = str(query, 'kind');
    res.json(
      control.webhooks({
        kind: kind === 'inbound' || kind === 'status-callback' ? kind : undefined,
        messageSid: str(query, 'messageSid'),
      }),
    );
  });
  router.get('/__sim/requests', (_req, res) => {
    res.json(control.requests());
  });
  router.use('/__sim', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof ControlError)
      return void res.status(err.status).json({ error: err.message });
    if (err instanceof TwilioApiError) return void res.status(err.status).json(err.toBody());
    if (err instanceof Error) return void res.status(400).json({ error: err.message });
    next(err);
  });
  return router;
}
