import type { Request, RequestHandler, Response } from 'express';
import { notFound, TelegramApiError } from '../http/errors';
import { parseRequestParams } from '../http/parse-request';
import type { RawParams } from '../http/uploaded-file';
import { DropConnection, type SimulatorEngine } from '../simulator-engine';

const METHOD_PATH = /^\/bot([^/]+)\/(?:test\/)?([^/]+)\/?$/;

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}

function logRequest(
  engine: SimulatorEngine,
  req: Request,
  token: string,
  method: string,
  raw: RawParams | undefined,
  status: number,
  error?: string,
): void {
  if (!engine.options.logRequests) return;
  engine.requestLog.push({
    at: engine.now(),
    token,
    method,
    http_method: req.method,
    params: raw ? { ...raw.fields } : {},
    files: raw
      ? [...raw.files.values()].map((f) => ({
          part: f.partName,
          file_name: f.fileName,
          size: f.data.length,
        }))
      : [],
    status,
    error,
  });
}

/** `/bot<token>/<method>`: Telegram's envelope for every outcome, never Express' HTML errors. */
export function botApiHandler(engine: SimulatorEngine): RequestHandler {
  return async (req, res) => {
    const match = METHOD_PATH.exec(req.path);
    if (!match || (req.method !== 'GET' && req.method !== 'POST')) {
      send(res, 404, notFound().toJSON());
      return;
    }
    const token = decodeURIComponent(match[1]);
    const method = match[2];
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let raw: RawParams | undefined;
    try {
      const outcome = await engine.call(
        token,
        method,
        async () => (raw = await parseRequestParams(req)),
        abort.signal,
      );
      const body: Record<string, unknown> = { ok: true, result: outcome.result };
      if (outcome.description !== undefined) body.description = outcome.description;
      logRequest(engine, req, token, method, raw, 200);
      send(res, 200, body);
    } catch (err) {
      if (err instanceof DropConnection) {
        logRequest(engine, req, token, method, raw, 0, 'connection dropped');
        req.socket.destroy();
        return;
      }
      const apiError =
        err instanceof TelegramApiError ? err : new TelegramApiError(500, 'Internal Server Error');
      if (!(err instanceof TelegramApiError)) {
        // A simulator bug: keep Telegram's envelope but make it visible in the log.
        apiError.stack = err instanceof Error ? err.stack : String(err);
      }
      logRequest(engine, req, token, method, raw, apiError.errorCode, apiError.description);
      if (!res.headersSent && !abort.signal.aborted)
        send(res, apiError.errorCode, apiError.toJSON());
    }
  };
}
