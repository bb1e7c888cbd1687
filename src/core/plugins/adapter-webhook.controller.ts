import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AdapterWebhookRequest } from '../adapter';
import { type GatewayLogger } from '../logging';
import { PUBLIC_URL } from '../config/config.tokens';
import { GATEWAY_LOGGER } from '../logging';
import { AdapterSupervisor } from './adapter-supervisor';

/**
 * Platform webhooks: `${PUBLIC_URL}/adapters/<adapter>/<account>[/<sub-path>]`. The body arrives
 * raw (see main.ts) so that the adapter can verify its platform's signature over the exact bytes.
 */
@Controller('adapters')
export class AdapterWebhookController {
  constructor(
    private readonly supervisor: AdapterSupervisor,
    @Inject(PUBLIC_URL) private readonly publicUrl: string,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  @All(':adapterId/:accountId{/*subPath}')
  async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
    const { adapterId, accountId } = request.params as Record<string, string>;
    const adapter = this.supervisor.getAdapter(adapterId);
    // Any process may get the webhook (load balancer), receiving for the account or standing by.
    const context = adapter?.handleWebhook
      ? await this.supervisor.webhookContext(accountId)
      : undefined;
    if (
      !adapter?.handleWebhook ||
      !context ||
      !context.webhookUrl.includes(`/adapters/${adapterId}/`)
    ) {
      response.status(404).json({ error: 'unknown adapter or account' });
      return;
    }
    const path = request.path;
    const prefix = `/adapters/${adapterId}/${accountId}`;
    const webhookRequest: AdapterWebhookRequest = {
      method: request.method,
      subPath: path.startsWith(prefix) ? path.slice(prefix.length) : '',
      publicUrl: `${this.publicUrl.replace(/\/$/, '')}${request.originalUrl}`,
      headers: flattenHeaders(request.headers),
      query: flattenQuery(request.query),
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    };
    try {
      const result = await adapter.handleWebhook(context, webhookRequest);
      if (result.contentType) response.type(result.contentType);
      for (const [name, value] of Object.entries(result.headers ?? {}))
        response.setHeader(name, value);
      if (result.body === undefined) response.status(result.status).end();
      else if (typeof result.body === 'string') response.status(result.status).send(result.body);
      else response.status(result.status).json(result.body);
    } catch (error) {
      // Not acknowledged: the platform redelivers, and nothing was lost.
      this.logger.error({ adapter: adapterId, account: accountId, err: error }, 'webhook failed');
      response.status(500).json({ error: 'webhook processing failed; please retry' });
    }
  }
}

function flattenHeaders(headers: Request['headers']): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function flattenQuery(query: Request['query']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string') flat[name] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') flat[name] = value[0];
  }
  return flat;
}
