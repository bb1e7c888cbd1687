import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Patch,
  Put,
  UseGuards,
} from '@nestjs/common';
import { validateAccountSettings } from '../core/adapter';
import type { ChannelAccount } from '../core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../core/persistence/repositories/channel-account.repository';
import { AccountDirectory } from '../core/plugins/account-directory';
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
    private readonly directory: AccountDirectory,
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

  /**
   * Plugin settings of the account (`{"messagesPerSecond": 10}`), checked against what its
   * adapter declares (`manifest.accountSettings`) and merged into the stored settings; `null`
   * removes a key. Threading has its own endpoint, which checks it.
   */
  @Patch(':id/settings')
  async setSettings(@Param('id') id: string, @Body() body: unknown): Promise<AdminAccountView> {
    const account = await this.accounts.findById(id);
    if (!account || account.status === 'deleted') {
      throw new NotFoundException(`no channel account ${id}`);
    }
    const adapter = this.supervisor.getAdapter(account.adapterId);
    if (!adapter) {
      throw new ConflictException(
        `the ${account.adapterId} plugin is not running in this gateway: its settings cannot be checked`,
      );
    }
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const threading =
      isObject && THREADING_SETTINGS_KEY in body
        ? [`${THREADING_SETTINGS_KEY}: set it with PUT /admin/accounts/${id}/threading`]
        : [];
    const input = isObject
      ? Object.fromEntries(Object.entries(body).filter(([key]) => key !== THREADING_SETTINGS_KEY))
      : body;
    const { values, problems } = validateAccountSettings(
      adapter.manifest.accountSettings,
      input,
      account.adapterId,
    );
    if (!values || threading.length > 0) throw new BadRequestException([...threading, ...problems]);
    const settings: Record<string, unknown> = { ...account.settings };
    for (const [key, value] of Object.entries(values)) {
      if (value === null) delete settings[key];
      else settings[key] = value;
    }
    const updated = await this.accounts.updateSettings(id, settings);
    await this.restartWithNewSettings(id);
    return this.view(updated);
  }

  /**
   * Sends already read the stored settings; the receiving context of an account this process
   * supervises keeps the old ones until the next reconcile, so it is restarted now. Other
   * gateway processes pick the change up at their reconcile.
   */
  private async restartWithNewSettings(id: string): Promise<void> {
    if (!this.supervisor.getAccountContext(id)) return;
    const fresh = await this.directory.findReceivingAccount(id);
    if (fresh) await this.supervisor.startAccount(fresh);
  }

  private view(account: ChannelAccount): AdminAccountView {
    return toAdminAccountView(account, receivingStates(this.supervisor));
  }
}
