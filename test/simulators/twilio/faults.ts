import { seededRandom } from './random';

/**
 * Fault injection. `api` rules act on authenticated REST requests:
 * 429 (Twilio 20429), 500/502/503, `slow` (delay, then normal handling), `drop` (socket destroyed).
 * `webhook` rules act on status callbacks / inbound webhooks the simulator sends:
 * `slow` (delay before sending), `drop` (not sent), `bad-signature`, `duplicate` (sent twice).
 */
export type ApiFaultKind = '429' | '500' | '502' | '503' | 'slow' | 'drop';
export type WebhookFaultKind = 'slow' | 'drop' | 'bad-signature' | 'duplicate';

export interface FaultRule {
  id?: string;
  target?: 'api' | 'webhook';
  kind: ApiFaultKind | WebhookFaultKind;
  /** Only for requests with this HTTP method (api). */
  method?: string;
  /** Regular expression (source) tested against the request path (api) or the signed URL (webhook). */
  path?: string;
  /** Only for this webhook kind. */
  webhookKind?: 'status-callback' | 'inbound';
  /** Chance that a matching request is hit, 0..1 (default 1). Uses the seeded PRNG. */
  probability?: number;
  /** How many hits remain; omitted = unlimited. The rule is removed when it reaches 0. */
  count?: number;
  /** Delay for `slow` (default 1000 ms). */
  delayMs?: number;
}

export interface ActiveFault extends FaultRule {
  id: string;
  target: 'api' | 'webhook';
  hits: number;
}

export interface FaultQuery {
  target: 'api' | 'webhook';
  method?: string;
  path: string;
  webhookKind?: 'status-callback' | 'inbound';
}

const API_KINDS = ['429', '500', '502', '503', 'slow', 'drop'];
const WEBHOOK_KINDS = ['slow', 'drop', 'bad-signature', 'duplicate'];

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private random: () => number;
  private counter = 0;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  add(rule: FaultRule): ActiveFault {
    const target = rule.target ?? 'api';
    const allowed = target === 'api' ? API_KINDS : WEBHOOK_KINDS;
    if (!allowed.includes(rule.kind))
      throw new Error(`fault kind ${rule.kind} is not valid for ${target}`);
    if (rule.path !== undefined) new RegExp(rule.path);
    this.counter += 1;
    const active: ActiveFault = {
      ...rule,
      target,
      id: rule.id ?? `fault-${this.counter}`,
      hits: 0,
    };
    this.rules.push(active);
    return active;
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  /** Returns the rule that fires for this request, if any, consuming one of its hits. */
  take(query: FaultQuery): ActiveFault | undefined {
    for (const rule of this.rules) {
      if (rule.target !== query.target) continue;
      if (rule.method && query.method && rule.method.toUpperCase() !== query.method.toUpperCase())
        continue;
      if (rule.path && !new RegExp(rule.path).test(query.path)) continue;
      if (rule.webhookKind && rule.webhookKind !== query.webhookKind) continue;
      const probability = rule.probability ?? 1;
      if (probability < 1 && this.random() >= probability) continue;
      rule.hits += 1;
      if (rule.count !== undefined) {
        rule.count -= 1;
        if (rule.count <= 0) this.remove(rule.id);
      }
      return { ...rule };
    }
    return undefined;
  }
}
