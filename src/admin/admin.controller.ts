import {
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseBoolPipe,
  ParseIntPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChannelAccountRepository } from '../core/persistence/repositories/channel-account.repository';
import { AdapterSupervisor } from '../core/plugins/adapter-supervisor';
import { DeadLetterStore } from '../core/queue/dead-letter-store';
import { JobQueue } from '../core/queue/job-queue';
import { type AdminAccountView, receivingStates, toAdminAccountView } from './admin-account.view';
import { AdminTokenGuard } from './admin-token.guard';

/** Operator endpoints, behind `Authorization: Bearer <ADMIN_TOKEN>`. */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class AdminController {
  private readonly deadLetters: DeadLetterStore;

  constructor(
    dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly accounts: ChannelAccountRepository,
    private readonly supervisor: AdapterSupervisor,
  ) {
    this.deadLetters = new DeadLetterStore(dataSource);
  }

  /** Channel accounts with their receiving state; never their credentials. */
  @Get('accounts')
  async listAccounts(@Query('adapter') adapter?: string): Promise<AdminAccountView[]> {
    const receiving = receivingStates(this.supervisor);
    const accounts = await this.accounts.list(adapter ? { adapterId: adapter } : {});
    return accounts.map((account) => toAdminAccountView(account, receiving));
  }

  @Get('dead-letters')
  async listDeadLetters(
    @Query('queue') queue?: string,
    @Query('includeReplayed', new DefaultValuePipe(false), ParseBoolPipe) includeReplayed = false,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit = 100,
  ) {
    const rows = await this.deadLetters.list({ queue, includeReplayed, limit });
    return rows.map((row) => ({
      ...row,
      payload: JSON.parse(row.payload) as unknown,
      enqueuedAt: new Date(Number(row.enqueuedAt)).toISOString(),
      failedAt: new Date(Number(row.failedAt)).toISOString(),
      replayedAt: row.replayedAt === null ? null : new Date(Number(row.replayedAt)).toISOString(),
    }));
  }

  /** Puts a dead-lettered job back on its queue, once. */
  @Post('dead-letters/:id/replay')
  @HttpCode(202)
  async replay(@Param('id') id: string) {
    if (!(await this.queue.replayDeadLetter(id))) {
      throw new NotFoundException(`no open dead letter ${id} (unknown or already replayed)`);
    }
    return { replayed: id };
  }
}
