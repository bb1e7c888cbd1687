import { badRequest, conflict } from '../http/errors';
import type { TgUpdate } from '../state/telegram-types';
import { bool, int, list, ok, str, type MethodContext, type MethodOutcome } from './method-types';

const WEBHOOK_ACTIVE =
  "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const TERMINATED =
  'terminated by other getUpdates request; make sure that only one bot instance is running';
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** getUpdates: offset confirmation, limit 1-100, long poll with early return, 409 conflicts. */
export async function getUpdates(ctx: MethodContext): Promise<MethodOutcome> {
  const { bot, engine } = ctx;
  if (bot.webhook.current) throw conflict(WEBHOOK_ACTIVE);
  // Only one getUpdates may run at a time: a new call ends the one still held.
  bot.updates.terminateWaiter(conflict(TERMINATED));
  const allowed = list(ctx.params, 'allowed_updates');
  if (allowed) bot.updates.setAllowedUpdates(allowed.map(String));
  bot.updates.applyOffset(int(ctx.params, 'offset'));
  const limit = Math.min(100, Math.max(1, int(ctx.params, 'limit') ?? 100));
  const timeout = Math.max(0, int(ctx.params, 'timeout') ?? 0);
  const ready = bot.updates.take(limit);
  if (ready.length > 0 || timeout === 0) return ok(ready);
  const seconds = Math.min(timeout, engine.options.maxLongPollSeconds);
  const { promise, cancel } = bot.updates.wait(limit, seconds * 1000);
  ctx.signal.addEventListener('abort', cancel, { once: true });
  const updates: TgUpdate[] = await promise;
  return ok(updates);
}

function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  }
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return;
  throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
}

/** setWebhook: url ("" removes), secret_token charset, allowed_updates, drop_pending_updates. */
export function setWebhook(ctx: MethodContext): MethodOutcome {
  const { bot } = ctx;
  const url = str(ctx.params, 'url') ?? '';
  if (url === '') return deleteWebhook(ctx);
  checkWebhookUrl(url);
  const secret = str(ctx.params, 'secret_token');
  if (secret !== undefined && !SECRET_TOKEN.test(secret)) {
    throw badRequest('secret token contains unallowed characters');
  }
  const maxConnections = int(ctx.params, 'max_connections') ?? 40;
  if (maxConnections < 1 || maxConnections > 100) {
    throw badRequest('bad webhook: max_connections must be between 1 and 100');
  }
  const allowed = list(ctx.params, 'allowed_updates');
  if (allowed) bot.updates.setAllowedUpdates(allowed.map(String));
  if (bool(ctx.params, 'drop_pending_updates')) bot.updates.clear();
  const same = bot.webhook.current?.url === url && bot.webhook.current.secretToken === secret;
  bot.updates.terminateWaiter(conflict(WEBHOOK_ACTIVE));
  bot.webhook.set({
    url,
    secretToken: secret,
    maxConnections,
    ipAddress: str(ctx.params, 'ip_address'),
    hasCustomCertificate: ctx.params.certificate !== undefined,
  });
  return ok(true, same ? 'Webhook is already set' : 'Webhook was set');
}

export function deleteWebhook(ctx: MethodContext): MethodOutcome {
  const { bot } = ctx;
  if (bool(ctx.params, 'drop_pending_updates')) bot.updates.clear();
  const had = bot.webhook.current !== undefined;
  bot.webhook.delete();
  return ok(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
}

export function getWebhookInfo(ctx: MethodContext): MethodOutcome {
  const { bot } = ctx;
  const config = bot.webhook.current;
  const info: Record<string, unknown> = {
    url: config?.url ?? '',
    has_custom_certificate: config?.hasCustomCertificate ?? false,
    pending_update_count: bot.updates.size,
  };
  if (config) {
    info.max_connections = config.maxConnections;
    if (config.ipAddress) info.ip_address = config.ipAddress;
    const status = bot.webhook.status;
    if (status.lastErrorDate !== undefined) {
      info.last_error_date = status.lastErrorDate;
      info.last_error_message = status.lastErrorMessage;
    }
  }
  const allowed = bot.updates.allowedUpdates;
  if (allowed.length > 0) info.allowed_updates = allowed;
  return ok(info);
}
