/**
 * Redis keys of the per-key lanes, next to Bull's own keys of the same queue
 * (`<prefix>:<queue>:wait`, ...). A lane is an ordering key (`k:<key>`) or, for a job without
 * key, a lane of its own (`j:<jobId>`).
 */
export class LaneKeys {
  /** `<prefix>:<queue>:jq`; ENQUEUE_MANY derives the keys below from it. */
  readonly base: string;

  constructor(prefix: string, queue: string) {
    this.base = `${prefix}:${queue}:jq`;
  }

  static laneOf(jobId: string, orderingKey?: string): string {
    return orderingKey === undefined ? `j:${jobId}` : `k:${orderingKey}`;
  }

  /** FIFO of job ids of one lane, in enqueue order. */
  list(lane: string): string {
    return `${this.base}:list:${lane}`;
  }

  /** The id of the Bull job that currently owns (will process) the lane; absent when idle. */
  owner(lane: string): string {
    return `${this.base}:owner:${lane}`;
  }

  /** Prefix of the hashes holding each job (payload, key, attempts, ...). */
  get jobPrefix(): string {
    return `${this.base}:job:`;
  }

  job(id: string): string {
    return `${this.jobPrefix}${id}`;
  }

  /** Counter for unique Bull job ids of lane activations. */
  get seq(): string {
    return `${this.base}:seq`;
  }

  /** Number of jobs known (waiting, delayed or running). */
  get pending(): string {
    return `${this.base}:pending`;
  }

  /** Lanes that have an owner: swept at start for owners whose Bull job was lost. */
  get lanes(): string {
    return `${this.base}:lanes`;
  }
}
