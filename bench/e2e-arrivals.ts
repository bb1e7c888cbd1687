/**
 * Matches the messages a benchmark phase posted on the Echo platform with the messages the
 * HubSpot simulator stored, by a marker in the text (`bench <phase> <n>`): when each one arrived,
 * and whether every one arrived exactly once.
 */
import { performance } from 'node:perf_hooks';
import type { HubSpotSimulator } from '../test/simulators/hubspot';

export interface DeliveryCheck {
  posted: number;
  arrived: number;
  missing: number;
  duplicates: number;
}

export class ArrivalTracker {
  private readonly postedAt = new Map<number, number>();
  private readonly arrivedAt = new Map<number, number>();
  private duplicates = 0;
  private readonly listeners = new Set<(n: number, latencyMs: number) => void>();
  private readonly detach: () => void;

  constructor(
    sim: HubSpotSimulator,
    readonly phase: string,
  ) {
    const prefix = `bench ${phase} `;
    this.detach = sim.onMessagePublished((message) => {
      if (!message.text.startsWith(prefix)) return;
      const now = performance.now();
      const n = Number(message.text.slice(prefix.length));
      if (this.arrivedAt.has(n)) {
        this.duplicates++;
        return;
      }
      this.arrivedAt.set(n, now);
      const posted = this.postedAt.get(n);
      if (posted === undefined) return;
      for (const listener of this.listeners) listener(n, now - posted);
    });
  }

  /** The text of message `n` of this phase. */
  text(n: number): string {
    return `bench ${this.phase} ${n}`;
  }

  markPosted(n: number, at = performance.now()): void {
    this.postedAt.set(n, at);
  }

  onArrival(listener: (n: number, latencyMs: number) => void): void {
    this.listeners.add(listener);
  }

  get arrivedCount(): number {
    return this.arrivedAt.size;
  }

  /** Latencies in ms of the messages that arrived, in posting order of n. */
  latencies(): number[] {
    const result: number[] = [];
    for (const [n, posted] of this.postedAt) {
      const arrived = this.arrivedAt.get(n);
      if (arrived !== undefined) result.push(arrived - posted);
    }
    return result;
  }

  /** Per arrived message, in posting order: when it was posted (ms after the first post) and its latency. */
  timeline(): { postedMs: number; latencyMs: number }[] {
    const { firstPost } = this.span();
    const result: { postedMs: number; latencyMs: number }[] = [];
    for (const [n, posted] of this.postedAt) {
      const arrived = this.arrivedAt.get(n);
      if (arrived !== undefined) {
        result.push({ postedMs: posted - firstPost, latencyMs: arrived - posted });
      }
    }
    return result;
  }

  /** First post and last arrival (performance.now() ms). */
  span(): { firstPost: number; lastArrival: number } {
    let firstPost = Infinity;
    let lastArrival = -Infinity;
    for (const at of this.postedAt.values()) firstPost = Math.min(firstPost, at);
    for (const at of this.arrivedAt.values()) lastArrival = Math.max(lastArrival, at);
    return { firstPost, lastArrival };
  }

  /** Arrival times in ascending order. */
  arrivalTimes(): number[] {
    return [...this.arrivedAt.values()].sort((a, b) => a - b);
  }

  /** Resolves once every posted message arrived, or when nothing arrived for `idleMs`. */
  async drained(idleMs: number): Promise<void> {
    let last = this.arrivedAt.size;
    let lastChange = performance.now();
    while (this.arrivedAt.size < this.postedAt.size) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (this.arrivedAt.size !== last) {
        last = this.arrivedAt.size;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > idleMs) {
        return;
      }
    }
  }

  check(): DeliveryCheck {
    let missing = 0;
    for (const n of this.postedAt.keys()) if (!this.arrivedAt.has(n)) missing++;
    return {
      posted: this.postedAt.size,
      arrived: this.arrivedAt.size,
      missing,
      duplicates: this.duplicates,
    };
  }

  close(): void {
    this.detach();
  }
}
