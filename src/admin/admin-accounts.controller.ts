import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Put,
  UseGuards,
} from '@nestjs/common';
import type { ChannelAccount } from '../core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../core/persistence/repositories/channel-account.repository';
import { AdapterSupervisor } from '../core/plugins/adapter-supervisor';
import {
  parseThreadingSettings,
  THREADING_SETTINGS_KEY,
} from '../hubspot/threading/threading-settings';
import { type AdminAccountView, receivingStates, toAdminAccountView } from './admin-account.view';
import { AdminTokenGuard } from './admin-token.guard';

/** One channel account: read it, and choose how its conversations map to HubSpot threads. */
@Controller('admin/accounts')
@UseGuards(AdminTokenGuard)
export class AdminAccountsController {
  constructor(
    private readonly accounts: ChannelAccountRepository,
    private readonly supervisor: AdapterSupervisor,
  ) {}

  /** Deleted accounts are shown too (status `deleted`): their conversations still refer to them. */
  @Get(':id')
  async get(@Param('id') id: string): Promise<AdminAccountView> {
    const account = await this.accounts.findById(id);
    if (!account) throw new NotFoundException(`no channel account ${id}`);
    return this.view(account);
  }

  /**
   * `{mode, silenceHours?}`, stored under the account's `threading` setting (other settings are
   * kept), where the inbound pipeline reads it. Deleted accounts cannot be changed.
   */
  @Put(':id/threading')
  async setThreading(@Param('id') id: string, @Body() body: unknown): Promise<AdminAccountView> {
    const account = await this.accounts.findById(id);
    if (!account || account.status === 'deleted') {
      throw new NotFoundException(`no channel account ${id}`);
    }
    // parseThreadingSettings defaults a missing mode; a PUT names the mode it sets.
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const missingMode = isObject && !('mode' in body) ? ['threading.mode: required'] : [];
    const { settings, problems } = parseThreadingSettings(body);
    if (!settings || missingMode.length > 0) {
      throw new BadRequestException([...missingMode, ...problems]);
    }
    const updated = await this.accounts.updateSettings(id, {
      ...account.settings,
      [THREADING_SETTINGS_KEY]: settings,
    });
    return this.view(updated);
  }

  private view(account: ChannelAccount): AdminAccountView {
    return toAdminAccountView(account, receivingStates(this.supervisor));
  }
}
