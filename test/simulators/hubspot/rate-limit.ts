import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { correlationIdOf } from './errors';
import type { RateLimitOptions } from './options';

/**
 * Per-portal rolling window (spec 11.1: public OAuth apps 110 requests / 10 s). Every answered
 * request carries X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds (OAuth calls omit the
 * daily pair); over the limit -> 429 with HubSpot's RATE_LIMIT body.
 */
export class RateLimiter {
  private hits = new Map<string, number[]>();

  constructor(public config: RateLimitOptions) {}

  reset(): void {
    this.hits.clear();
  }

  /** Middleware; runs after authentication, keyed by the portal of the token. */
  middleware(): RequestHandler {
    return (_req: Request, res: Response, next: NextFunction) => {
      const portalId: unknown = res.locals.portalId;
      if (!this.config.enabled || typeof portalId !== 'string') return next();
      const now = Date.now();
      const windowStart = now - this.config.intervalMs;
      let list = this.hits.get(portalId);
      if (!list) {
        list = [];
        this.hits.set(portalId, list);
      }
      // Hits are in time order: drop the expired ones from the front (a filter over the whole
      // window at every request cost the bench process more than the rest of the limiter).
      let expired = 0;
      while (expired < list.length && list[expired] <= windowStart) expired++;
      if (expired > 0) list.splice(0, expired);
      res.setHeader('X-HubSpot-RateLimit-Max', String(this.config.max));
      res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(this.config.intervalMs));
      if (list.length >= this.config.max) {
        res.setHeader('X-HubSpot-RateLimit-Remaining', '0');
        if (this.config.retryAfterHeader) {
          const waitMs = list[0] + this.config.intervalMs - now;
          res.setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
        }
        res.status(429).json({
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: correlationIdOf(res),
          policyName: 'TEN_SECONDLY_ROLLING',
          requestId: randomUUID(),
        });
        return;
      }
      list.push(now);
      res.setHeader('X-HubSpot-RateLimit-Remaining', String(this.config.max - list.length));
      next();
    };
  }
}
