import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { correlationIdOf, HubSpotError, sendError } from './errors';
import type { FaultRule } from './options';

export interface ActiveFault extends FaultRule {
  id: string;
  fired: number;
}

/** Deterministic PRNG (mulberry32) so probabilistic faults repeat run to run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((seg) => {
      if (seg === '**') return '.*';
      if (seg === '*' || /^\{[^}]+\}$/.test(seg) || seg.startsWith(':')) return '[^/]+';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body}/?$`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Fault injection per method + path pattern: statuses (429/500/502/...), delays and dropped
 * connections, each with a probability and/or a count. Never applies to /__sim control routes.
 */
export class FaultInjector {
  private rules: ActiveFault[] = [];
  private random: () => number;
  private seq = 0;

  constructor(initial: FaultRule[], seed: number) {
    this.random = prng(seed);
    initial.forEach((r) => this.add(r));
  }

  add(rule: FaultRule): ActiveFault {
    const active: ActiveFault = { ...rule, id: rule.id ?? `fault-${++this.seq}`, fired: 0 };
    this.rules.push(active);
    return active;
  }

  list(): ActiveFault[] {
    return this.rules;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  private pick(method: string, path: string): ActiveFault | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (!patternToRegExp(rule.path).test(path)) continue;
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.fired++;
      return rule;
    }
    return undefined;
  }

  middleware(): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction) => {
      if (req.path.startsWith('/__sim')) return next();
      const rule = this.pick(req.method, req.path);
      if (!rule) return next();
      res.locals.fault = rule.id;
      if (rule.delayMs) await sleep(rule.delayMs);
      if (rule.drop) {
        req.socket.destroy();
        return;
      }
      if (rule.status === undefined) return next();
      if (rule.status === 429) {
        res.setHeader('X-HubSpot-RateLimit-Remaining', '0');
        res.status(429).json({
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: correlationIdOf(res),
          policyName: 'TEN_SECONDLY_ROLLING',
        });
        return;
      }
      const category = rule.status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR';
      sendError(res, new HubSpotError(rule.status, category, `Injected fault ${rule.id}`));
    };
  }
}
