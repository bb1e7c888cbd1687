import { Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import { ChannelAccountEntity } from '../core/persistence/entities/channel-account.entity';

/**
 * The adapter of each of a page of accounts in one query (ids and adapter ids only: loading
 * whole accounts through the repository would decrypt every account's credentials).
 */
@Injectable()
export class AccountAdapterLookup {
  private readonly rows: Repository<ChannelAccountEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(ChannelAccountEntity);
  }

  async adaptersOf(accountIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(accountIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.rows.find({
      select: { id: true, adapterId: true },
      where: { id: In(ids) },
    });
    return new Map(rows.map((row) => [row.id, row.adapterId]));
  }
}
