import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  type CallbackQuery,
  type InstallAnswer,
  OAuthInstallService,
} from './oauth-install.service';
import { PAGE_HEADERS } from './oauth-pages';

/** `GET /oauth/install` (start) and `GET /oauth/callback` (HubSpot's redirect back). */
@Controller('oauth')
export class OAuthInstallController {
  constructor(private readonly install: OAuthInstallService) {}

  @Get('install')
  start(@Res() res: Response): void {
    send(res, this.install.start());
  }

  @Get('callback')
  async callback(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    send(res, await this.install.complete(callbackQuery(query)));
  }
}

/** Only single string values count: a repeated or nested parameter is treated as absent. */
function callbackQuery(query: Record<string, unknown>): CallbackQuery {
  const text = (name: keyof CallbackQuery) =>
    typeof query[name] === 'string' ? query[name] : undefined;
  return {
    code: text('code'),
    state: text('state'),
    error: text('error'),
    error_description: text('error_description'),
  };
}

function send(res: Response, answer: InstallAnswer): void {
  res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  if ('redirect' in answer) {
    res.redirect(302, answer.redirect);
    return;
  }
  res.status(answer.status).set(PAGE_HEADERS).send(answer.html);
}
