import { Inject, Injectable } from '@nestjs/common';
import type { AccountContext } from '../adapter';
import { toAdapterLogger, type GatewayLogger } from '../logging';
import { AccountStateRepository } from '../persistence/repositories/account-state.repository';
import type { ReceivingAccount } from './account-directory';
import {
  AccountContextFactory,
  InboundEventSink,
  type AccountContextHooks,
} from './account-context.factory';
import { PUBLIC_URL } from '../config/config.tokens';
import { GATEWAY_LOGGER } from '../logging';

@Injectable()
export class DefaultAccountContextFactory extends AccountContextFactory {
  constructor(
    private readonly state: AccountStateRepository,
    private readonly sink: InboundEventSink,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
    @Inject(PUBLIC_URL) private readonly publicUrl: string,
  ) {
    super();
  }

  create(account: ReceivingAccount, hooks: AccountContextHooks): AccountContext {
    return {
      accountId: account.id,
      credentials: account.credentials,
      settings: account.settings,
      webhookUrl: `${this.publicUrl.replace(/\/$/, '')}/adapters/${account.adapterId}/${account.id}`,
      state: this.state.storeFor(account.id),
      logger: toAdapterLogger(
        this.logger.child({ adapter: account.adapterId, account: account.id }),
      ),
      emit: (event) => this.sink.accept(account, event),
      reportWarning: (message) => hooks.onWarning(message),
    };
  }
}
