import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ChannelAdapter } from '../../core/adapter/channel-adapter';
import { InvalidCredentialsError, reasonOf } from '../../core/adapter/errors';
import { ConnectHubSpotError, ConnectRequestError } from './connect-errors';
import { renderConnectForm, renderErrorPage, type ConnectFormView } from './connect-form';
import { type ConnectFlow, InvalidConnectFormTokenError } from './connect-form-token';
import { ConnectService } from './connect.service';
import { readCredentialInput } from './credential-input';
import { contentSecurityPolicy } from './html';

type FormBody = Record<string, unknown>;

/**
 * The HubSpot connection popup (`channelAccountConnectionRedirectUrl` =
 * `${PUBLIC_URL}/connect/<adapter>`): a credential form built from the adapter's manifest.
 */
@Controller('connect')
export class ConnectController {
  constructor(private readonly connect: ConnectService) {}

  @Get(':adapter')
  async show(
    @Param('adapter') adapterId: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const adapter = this.connect.adapter(adapterId);
      const flow = await this.connect.openFlow(adapterId, query);
      send(res, 200, renderConnectForm(this.view(adapter, flow)), flow);
    } catch (error) {
      this.fail(res, error);
    }
  }

  @Post(':adapter')
  async submit(
    @Param('adapter') adapterId: string,
    @Body() body: FormBody | undefined,
    @Res() res: Response,
  ): Promise<void> {
    let adapter: ChannelAdapter;
    let flow: ConnectFlow;
    try {
      adapter = this.connect.adapter(adapterId);
      flow = this.openForm(adapterId, body ?? {});
    } catch (error) {
      this.fail(res, error);
      return;
    }
    const fields = adapter.manifest.credentials;
    const input = readCredentialInput(fields, body ?? {});
    const again = (status: number, extra: Partial<ConnectFormView>): void =>
      send(
        res,
        status,
        renderConnectForm({ ...this.view(adapter, flow), values: input.credentials, ...extra }),
        flow,
      );
    if (Object.keys(input.errors).length > 0) {
      again(422, { fieldErrors: input.errors });
      return;
    }
    try {
      const identity = await adapter.validateCredentials(input.credentials);
      await this.connect.complete(flow, identity, input.credentials);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        again(422, {
          error: `${adapter.manifest.displayName} refused the credentials: ${error.reason}`,
        });
      } else if (error instanceof ConnectHubSpotError) {
        const id = error.correlationId ? ` (correlationId ${error.correlationId})` : '';
        again(502, { error: `${error.message}${id}` });
      } else {
        again(502, {
          error: `${adapter.manifest.displayName} could not be checked: ${reasonOf(error)}`,
        });
      }
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, flow.redirectUrl);
  }

  private openForm(adapterId: string, body: FormBody): ConnectFlow {
    const token = body.form;
    try {
      if (typeof token !== 'string') throw new InvalidConnectFormTokenError('no form token');
      return this.connect.formTokens.open(token, adapterId);
    } catch (error) {
      if (!(error instanceof InvalidConnectFormTokenError)) throw error;
      throw new ConnectRequestError(
        400,
        'Form expired or changed',
        `This form cannot be used: ${error.message}.`,
      );
    }
  }

  private view(adapter: ChannelAdapter, flow: ConnectFlow): ConnectFormView {
    return {
      channelName: adapter.manifest.displayName,
      description: adapter.manifest.description,
      fields: adapter.manifest.credentials,
      action: `/connect/${encodeURIComponent(adapter.manifest.id)}`,
      formToken: this.connect.formTokens.seal(flow),
    };
  }

  private fail(res: Response, error: unknown): void {
    if (error instanceof ConnectRequestError) {
      send(res, error.status, renderErrorPage(error.title, error.message));
      return;
    }
    send(
      res,
      500,
      renderErrorPage('Something went wrong', 'The gateway could not show this form.'),
    );
  }
}

function send(res: Response, status: number, html: string, flow?: ConnectFlow): void {
  const targets = flow ? [new URL(flow.redirectUrl).origin] : [];
  res
    .status(status)
    .setHeader('Content-Type', 'text/html; charset=utf-8')
    .setHeader('Content-Security-Policy', contentSecurityPolicy(targets))
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Referrer-Policy', 'no-referrer')
    .setHeader('X-Content-Type-Options', 'nosniff')
    .send(html);
}
