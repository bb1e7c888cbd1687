import {
  BadRequestException,
  Controller,
  HttpCode,
  Inject,
  Post,
  Req,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { GATEWAY_CONFIG } from '../../core/config/config.tokens';
import type { GatewayConfig } from '../../core/config/gateway-config';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import { MalformedWebhookError, parseWebhookBody } from './hubspot-event';
import { verifySignatureV3 } from './hubspot-signature';
import { HubSpotWebhookIntake, type IntakeResult } from './hubspot-webhook-intake.service';

/**
 * `POST /hubspot/webhook`, the channel's `webhookUrl`: verifies signature v3 (spec 7.4) over the
 * raw body, then stores the events and answers 200 without calling HubSpot.
 */
@Controller('hubspot/webhook')
export class HubSpotWebhookController {
  constructor(
    private readonly intake: HubSpotWebhookIntake,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(@Req() request: Request): Promise<IntakeResult> {
    const secret = this.config.HUBSPOT_CLIENT_SECRET;
    if (!secret) {
      this.logger.error('HubSpot webhook refused: HUBSPOT_CLIENT_SECRET is not set');
      throw new ServiceUnavailableException('webhook verification is not configured');
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const timestamp = request.header('x-hubspot-request-timestamp') ?? '';
    const check = verifySignatureV3({
      clientSecret: secret,
      method: request.method,
      uri: this.config.PUBLIC_URL.replace(/\/+$/, '') + request.originalUrl,
      body,
      timestamp,
      signature: request.header('x-hubspot-signature-v3'),
      nowMs: Date.now(),
    });
    if (!check.valid) {
      this.logger.warn({ reason: check.reason }, 'HubSpot webhook refused: bad signature');
      throw new UnauthorizedException('invalid signature');
    }
    try {
      return await this.intake.accept(parseWebhookBody(body, timestamp));
    } catch (error) {
      if (error instanceof MalformedWebhookError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
