import { Module } from '@nestjs/common';
import { PluginsModule } from '../core/plugins/plugins.module';
import { AccountAdapterLookup } from './account-adapter.lookup';
import { AdminAccountsController } from './admin-accounts.controller';
import { AdminConversationsController } from './admin-conversations.controller';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';

@Module({
  imports: [PluginsModule],
  controllers: [AdminController, AdminAccountsController, AdminConversationsController],
  providers: [AdminTokenGuard, AccountAdapterLookup],
})
export class AdminModule {}
