/** Shared setup of the plugin's own specs: a simulator, an adapter on it, account contexts. */
import {
  InMemoryAccountContext,
  InMemoryStateStore,
  RecordingLogger,
  WebhookRelay,
} from '../../../test/conformance';
import { startTelegramSimulator, type TelegramSimulator } from '../../../test/simulators/telegram';
import { TelegramAdapter } from '../telegram.adapter';
import { UNLIMITED } from './telegram-conformance.harness';
import type { TelegramSettings } from '../telegram.settings';

let sequence = 0;

export function createAdapter(
  sim: TelegramSimulator,
  settings: Partial<TelegramSettings> = {},
): TelegramAdapter {
  return new TelegramAdapter({
    // The simulator takes http webhooks on loopback; the plugin's default would poll here.
    // Flood limits lifted too (the specs' simulators have theirs off) unless `settings` set them.
    settings: { apiRoot: sim.baseUrl, mode: 'webhook', ...UNLIMITED, ...settings },
    publicUrl: 'http://127.0.0.1:1',
    logger: new RecordingLogger(),
  });
}

/** A simulator (limits off, quick webhook retries), an adapter on it and its webhook relay. */
export interface WebhookSetup {
  sim: TelegramSimulator;
  adapter: TelegramAdapter;
  relay: WebhookRelay;
}

export async function startWebhookSetup(): Promise<WebhookSetup> {
  const sim = await startTelegramSimulator({
    rateLimits: false,
    logRequests: false,
    webhook: { retryBaseMs: 50, retryMaxMs: 200 },
  });
  const adapter = createAdapter(sim, { mediaGroupWaitMs: 150 });
  const relay = new WebhookRelay('telegram', () => adapter);
  await relay.start();
  return { sim, adapter, relay };
}

export async function stopWebhookSetup({ sim, adapter, relay }: WebhookSetup): Promise<void> {
  await adapter.shutdown();
  await relay.stop();
  await sim.close();
}

export async function createBotAccount(
  sim: TelegramSimulator,
  options: { relay?: WebhookRelay; state?: InMemoryStateStore; accountId?: string } = {},
): Promise<{ token: string; chatId: number; userId: number; context: InMemoryAccountContext }> {
  const bot = await sim.createBot({ username: `spec_${++sequence}_bot`, first_name: 'Spec' });
  const { user, chat } = await sim.createCustomer({ first_name: 'Cu', username: `cu${sequence}` });
  const context = newContext(bot.token, options);
  return { token: bot.token, chatId: chat.id, userId: user.id, context };
}

export function newContext(
  token: string,
  options: { relay?: WebhookRelay; state?: InMemoryStateStore; accountId?: string } = {},
): InMemoryAccountContext {
  const accountId = options.accountId ?? `spec-${++sequence}`;
  const context = new InMemoryAccountContext({
    accountId,
    credentials: { botToken: token },
    webhookUrl: options.relay ? options.relay.webhookUrl(accountId) : 'http://127.0.0.1:1/none',
    state: options.state,
  });
  options.relay?.register(context);
  return context;
}

export const texts = (context: InMemoryAccountContext): string[] =>
  context.emitted.flatMap((event) => (event.type === 'message' ? [event.text] : []));

export async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
