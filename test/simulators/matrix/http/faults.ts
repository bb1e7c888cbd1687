import type { FaultRule } from '../types';
import { limitExceeded, MatrixError } from './errors';

/** Deterministic PRNG (mulberry32) so probabilistic faults repeat for a given seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultAction =
  | { kind: 'error'; error: MatrixError; rule: FaultRule }
  | { kind: 'slow'; delayMs: number; rule: FaultRule }
  | { kind: 'drop'; rule: FaultRule };

const DEFAULT_ERRCODE: Record<number, string> = {
  429: 'M_LIMIT_EXCEEDED',
  404: 'M_NOT_FOUND',
  403: 'M_FORBIDDEN',
};

/** Fault-injection rules, matched per request by method, path regex and/or operationId. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private counter = 0;
  private random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  add(rule: FaultRule): FaultRule {
    if (rule.path !== undefined) new RegExp(rule.path); // throws early on a bad pattern
    const stored: FaultRule = { ...rule, id: rule.id ?? `fault-${++this.counter}`, hits: 0 };
    this.rules.push(stored);
    return stored;
  }

  list(): FaultRule[] {
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

  /** The first matching rule that fires for this request, if any (consumes its count). */
  pick(method: string, path: string, operationId: string | undefined): FaultAction | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.operationId && rule.operationId !== operationId) continue;
      if (rule.path && !new RegExp(rule.path).test(path)) continue;
      if (rule.count !== undefined && (rule.hits ?? 0) >= rule.count) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.hits = (rule.hits ?? 0) + 1;
      return toAction(rule);
    }
    return undefined;
  }
}

function toAction(rule: FaultRule): FaultAction {
  if (rule.kind === 'drop') return { kind: 'drop', rule };
  if (rule.kind === 'slow') return { kind: 'slow', delayMs: rule.delayMs ?? 1000, rule };
  const status = rule.status ?? 500;
  if (status === 429 && (rule.errcode ?? 'M_LIMIT_EXCEEDED') === 'M_LIMIT_EXCEEDED') {
    return { kind: 'error', error: limitExceeded(rule.retryAfterMs ?? 1000), rule };
  }
  const errcode = rule.errcode ?? DEFAULT_ERRCODE[status] ?? 'M_UNKNOWN';
  const text = rule.error ?? `Injected fault (HTTP ${status})`;
  return { kind: 'error', error: new MatrixError(status, errcode, text), rule };
}
