/** A fault applied to matching Bot API calls before the method runs. */
export interface FaultRule {
  /** Restrict to one bot token; all bots when omitted. */
  token?: string;
  /** Restrict to one method (case-insensitive); all methods when omitted. */
  method?: string;
  /**
   * - `error`: answer with `status` (429 adds `parameters.retry_after`);
   * - `delay`: wait `delay_ms`, then handle the call normally;
   * - `drop`: destroy the connection without an answer.
   */
  kind: 'error' | 'delay' | 'drop';
  status?: number;
  retry_after?: number;
  description?: string;
  delay_ms?: number;
  /** Chance 0..1 that a matching call is hit (default 1). */
  probability?: number;
  /** How many calls to hit before the rule expires (default: unlimited). */
  count?: number;
}

export interface ActiveFault extends FaultRule {
  id: number;
  hits: number;
}

/** Deterministic PRNG (mulberry32) so probabilistic faults replay identically for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  add(rule: FaultRule): ActiveFault {
    if (!['error', 'delay', 'drop'].includes(rule.kind)) {
      throw new Error(`unknown fault kind ${String(rule.kind)}`);
    }
    const active: ActiveFault = { ...rule, id: this.nextId++, hits: 0 };
    this.rules.push(active);
    return active;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Faults that fire for this call, in the order they were added; consumes their counts. */
  match(token: string, method: string): ActiveFault[] {
    const fired: ActiveFault[] = [];
    for (const rule of this.rules) {
      if (rule.token !== undefined && rule.token !== token) continue;
      if (rule.method !== undefined && rule.method.toLowerCase() !== method.toLowerCase()) continue;
      if (rule.count !== undefined && rule.hits >= rule.count) continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      rule.hits += 1;
      fired.push({ ...rule });
    }
    this.rules = this.rules.filter((r) => r.count === undefined || r.hits < r.count);
    return fired;
  }
}
