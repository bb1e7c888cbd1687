import { FaultInjector, seededRandom, type FaultRule } from './faults/faults';
import { notFound, TelegramApiError, unauthorized } from './http/errors';
import type { RawParams } from './http/uploaded-file';
import { RateLimiter } from './limits/rate-limiter';
import type { MethodOutcome } from './methods/method-types';
import { handlerFor } from './methods/registry';
import { resolveOptions, type ResolvedOptions, type TelegramSimulatorOptions } from './options';
import { loadApiSpec, type ApiSpec } from './spec/api-spec';
import { BotState, type BotFlags } from './state/bot-state';
import { World } from './state/world';
import { ParamsValidator } from './validation/validate-params';
import { WebhookDeliverer } from './webhook/webhook-deliverer';

export interface CreateBotInput {
  token?: string;
  id?: number;
  username?: string;
  first_name?: string;
  flags?: Partial<BotFlags>;
}

export interface RequestLogEntry {
  at: number;
  token: string;
  method: string;
  http_method: string;
  params: Record<string, unknown>;
  files: Array<{ part: string; file_name: string; size: number }>;
  status: number;
  error?: string;
}

/** Thrown by a `drop` fault: the HTTP layer destroys the socket instead of answering. */
export class DropConnection extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The simulator without HTTP: bots, world, limits, faults and the method pipeline. */
export class SimulatorEngine {
  readonly spec: ApiSpec;
  readonly options: ResolvedOptions;
  readonly world = new World();
  readonly bots = new Map<string, BotState>();
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly requestLog: RequestLogEntry[] = [];
  private readonly validator: ParamsValidator;
  private nextBotId = 7_000_000_001;

  constructor(options: TelegramSimulatorOptions = {}) {
    this.spec = loadApiSpec(options.specPath);
    this.options = resolveOptions(options);
    this.validator = new ParamsValidator(this.spec);
    const limits = options.rateLimits === false ? { enabled: false } : (options.rateLimits ?? {});
    this.limiter = new RateLimiter(limits, this.options.now);
    this.faults = new FaultInjector(seededRandom(options.seed ?? 1));
    for (const rule of options.faults ?? []) this.faults.add(rule);
  }

  now(): number {
    return this.options.now();
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  createBot(input: CreateBotInput = {}): BotState {
    const id = input.id ?? (input.token ? Number(input.token.split(':')[0]) : this.nextBotId++);
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error('bot token must start with "<id>:"');
    const token =
      input.token ?? `${id}:AAH${Buffer.from(`sim-${id}`).toString('base64url')}xQ9kP2vWm4`;
    if (this.bots.has(token)) throw new Error(`bot ${token} already exists`);
    const user = {
      id,
      is_bot: true,
      first_name: input.first_name ?? 'Simulated Bot',
      username: input.username ?? `sim${id}_bot`,
    };
    const flags: BotFlags = {
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      ...input.flags,
    };
    const bot = new BotState(token, user, flags, this.options.firstUpdateId);
    bot.webhook = new WebhookDeliverer(
      bot.updates,
      this.options.webhook,
      () => this.now(),
      (call) => this.executeWebhookReply(token, call),
    );
    this.world.addBotUser(user);
    this.bots.set(token, bot);
    return bot;
  }

  bot(token: string): BotState {
    const bot = this.bots.get(token);
    if (!bot) throw new Error(`unknown bot token ${token}`);
    return bot;
  }

  /** Runs one Bot API call: token, method, faults, api.json validation, behaviour. */
  async call(
    token: string,
    methodName: string,
    loadParams: () => Promise<RawParams>,
    signal: AbortSignal,
  ): Promise<MethodOutcome> {
    const bot = this.bots.get(token);
    if (!bot) throw unauthorized();
    const method = this.spec.methods.get(methodName.toLowerCase());
    if (!method) throw notFound();
    for (const fault of this.faults.match(token, method.name)) {
      if (fault.kind === 'delay') await sleep(fault.delay_ms ?? 1000);
      if (fault.kind === 'drop') throw new DropConnection('dropped by fault injection');
      if (fault.kind === 'error') throw faultError(fault);
    }
    const raw = await loadParams();
    const params = this.validator.validate(method, raw);
    return handlerFor(method)({ engine: this, bot, method, params, raw, signal });
  }

  private async executeWebhookReply(token: string, call: Record<string, unknown>): Promise<void> {
    const { method, ...fields } = call;
    const raw: RawParams = { fields, files: new Map() };
    await this.call(
      token,
      String(method),
      () => Promise.resolve(raw),
      new AbortController().signal,
    );
  }

  /** Forgets all bots, users, chats, faults and logs (options stay). */
  reset(): void {
    this.close();
    this.bots.clear();
    this.world.users.clear();
    this.world.chats.clear();
    this.requestLog.length = 0;
    this.faults.clear();
    this.limiter.reset();
  }

  close(): void {
    for (const bot of this.bots.values()) {
      bot.webhook.close();
      bot.updates.terminateWaiter();
    }
  }
}

function faultError(fault: FaultRule): TelegramApiError {
  const status = fault.status ?? 500;
  if (status === 429) {
    const retryAfter = fault.retry_after ?? 1;
    return new TelegramApiError(
      429,
      fault.description ?? `Too Many Requests: retry after ${retryAfter}`,
      { retry_after: retryAfter },
    );
  }
  const text =
    fault.description ??
    (status === 502 ? 'Bad Gateway' : status >= 500 ? 'Internal Server Error' : 'Bad Request');
  return new TelegramApiError(status, text);
}
