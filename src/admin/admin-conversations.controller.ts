import { BadRequestException, Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ConversationRepository } from '../core/persistence/repositories/conversation.repository';
import { AccountAdapterLookup } from './account-adapter.lookup';
import { type AdminConversationView, toAdminConversationView } from './admin-conversation.view';
import { AdminTokenGuard } from './admin-token.guard';
import { parseConversationListQuery, type RawQuery } from './conversation-list.query';

/** Conversations and the HubSpot thread and ticket each maps to, for operators. */
@Controller('admin/conversations')
@UseGuards(AdminTokenGuard)
export class AdminConversationsController {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly adapters: AccountAdapterLookup,
  ) {}

  /**
   * `?adapter=&account=&status=OPEN|CLOSED&limit=1..500&offset=`: most recently updated first.
   * An unknown adapter or account is an empty page, not an error.
   */
  @Get()
  async list(@Query() query: RawQuery): Promise<AdminConversationView[]> {
    const { filter, problems } = parseConversationListQuery(query);
    if (problems.length > 0) throw new BadRequestException(problems);
    const page = await this.conversations.list(filter);
    const adapters = await this.adapters.adaptersOf(page.map((c) => c.accountId));
    return page.map((c) => toAdminConversationView(c, adapters.get(c.accountId)));
  }
}
