import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { parseJsonObject } from '../json';
import { ChannelRegistrationEntity } from '../entities/channel-registration.entity';
import type {
  ChannelRegistration,
  ChannelRegistrationInput,
} from '../models/channel-registration.model';

/** The HubSpot custom channel of each adapter. */
@Injectable()
export class ChannelRegistrationRepository {
  private readonly rows: Repository<ChannelRegistrationEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(ChannelRegistrationEntity);
  }

  /** Records a registration or an update of it (atomic upsert; `registeredAt` is kept). */
  async save(input: ChannelRegistrationInput, now = new Date()): Promise<ChannelRegistration> {
    await this.rows
      .createQueryBuilder()
      .insert()
      .values(
        this.rows.create({
          adapterId: input.adapterId,
          hubspotChannelId: input.hubspotChannelId,
          name: input.name,
          capabilitiesJson: JSON.stringify(input.capabilities),
          registeredAt: now,
          updatedAt: now,
        }),
      )
      .orUpdate(['hubspot_channel_id', 'name', 'capabilities', 'updated_at'], ['adapter_id'])
      .execute();
    const row = await this.rows.findOneByOrFail({ adapterId: input.adapterId });
    return toDomain(row);
  }

  async findByAdapter(adapterId: string): Promise<ChannelRegistration | undefined> {
    const row = await this.rows.findOneBy({ adapterId });
    return row ? toDomain(row) : undefined;
  }

  async findByChannelId(hubspotChannelId: string): Promise<ChannelRegistration | undefined> {
    const row = await this.rows.findOneBy({ hubspotChannelId });
    return row ? toDomain(row) : undefined;
  }

  async list(): Promise<ChannelRegistration[]> {
    const rows = await this.rows.find({ order: { adapterId: 'ASC' } });
    return rows.map(toDomain);
  }

  /** Forgets a registration (channel deleted in HubSpot); true when it existed. */
  async remove(adapterId: string): Promise<boolean> {
    const result = await this.rows.delete({ adapterId });
    return (result.affected ?? 0) > 0;
  }
}

function toDomain(row: ChannelRegistrationEntity): ChannelRegistration {
  return {
    adapterId: row.adapterId,
    hubspotChannelId: row.hubspotChannelId,
    name: row.name,
    capabilities: parseJsonObject(row.capabilitiesJson, `capabilities of ${row.adapterId}`),
    registeredAt: row.registeredAt,
    updatedAt: row.updatedAt,
  };
}
