import { Module } from '@nestjs/common';
import { PluginsModule } from '../core/plugins/plugins.module';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';

@Module({ imports: [PluginsModule], controllers: [AdminController], providers: [AdminTokenGuard] })
export class AdminModule {}
