import { randomUUID } from 'node:crypto';
import { IsNull, type DataSource, type FindOptionsWhere } from 'typeorm';
import { DeadLetterEntity } from './dead-letter.entity';

/** What a driver knows about a job when it gives up on it. */
export interface DeadLetterInput {
  queue: string;
  jobId: string;
  orderingKey?: string;
  payload: string;
  attempts: number;
  lastError: string;
  permanent: boolean;
  driver: 'embedded' | 'bull';
  enqueuedAt: number;
}

export function toDeadLetterRow(input: DeadLetterInput, now = Date.now()): DeadLetterEntity {
  const row = new DeadLetterEntity();
  row.id = randomUUID();
  row.queue = input.queue;
  row.jobId = input.jobId;
  row.orderingKey = input.orderingKey ?? null;
  row.payload = input.payload;
  row.attempts = input.attempts;
  row.lastError = input.lastError;
  row.permanent = input.permanent;
  row.driver = input.driver;
  row.enqueuedAt = input.enqueuedAt;
  row.failedAt = now;
  row.replayedAt = null;
  row.replayJobId = null;
  return row;
}

/** The `dead_letters` table, shared by both drivers. */
export class DeadLetterStore {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(DeadLetterEntity);
  }

  async add(input: DeadLetterInput): Promise<DeadLetterEntity> {
    const row = toDeadLetterRow(input);
    await this.repo.insert(row);
    return row;
  }

  find(id: string): Promise<DeadLetterEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The newest dead letters, open ones (not replayed) unless `includeReplayed`. */
  list(
    filter: { queue?: string; includeReplayed?: boolean; limit?: number } = {},
  ): Promise<DeadLetterEntity[]> {
    const where: FindOptionsWhere<DeadLetterEntity> = {};
    if (filter.queue) where.queue = filter.queue;
    if (!filter.includeReplayed) where.replayedAt = IsNull();
    return this.repo.find({
      where,
      order: { failedAt: 'DESC' },
      take: Math.min(Math.max(filter.limit ?? 100, 1), 1000),
    });
  }

  /** Dead letters not replayed yet, of one queue or of all. */
  countOpen(queue?: string): Promise<number> {
    return this.repo.countBy(queue ? { queue, replayedAt: IsNull() } : { replayedAt: IsNull() });
  }

  /** Marks a dead letter replayed; false when it is unknown or was replayed already. */
  async claimReplay(id: string, replayJobId: string): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(DeadLetterEntity)
      .set({ replayedAt: Date.now(), replayJobId })
      .where('id = :id AND replayed_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Undoes `claimReplay` when the job could not be enqueued after all. */
  async unclaimReplay(id: string): Promise<void> {
    await this.repo.update({ id }, { replayedAt: null, replayJobId: null });
  }
}
