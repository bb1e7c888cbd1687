import { Injectable } from '@nestjs/common';

/**
 * The time as the inbound pipeline sees it. A class so that unit tests can replace it and move
 * time forward (cache expiry, fallback timestamps) without waiting.
 */
@Injectable()
export class InboundClock {
  now(): number {
    return Date.now();
  }
}
