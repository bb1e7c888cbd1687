import type { RequestHandler } from 'express';
import { notFound } from '../http/errors';
import type { SimulatorEngine } from '../simulator-engine';

const FILE_PATH = /^\/file\/bot([^/]+)\/(.+)$/;

/** `/file/bot<token>/<file_path>`: the stored bytes, or Telegram's 404 envelope. */
export function fileDownloadHandler(engine: SimulatorEngine): RequestHandler {
  return (req, res) => {
    const match = FILE_PATH.exec(req.path);
    const bot = match ? engine.bots.get(decodeURIComponent(match[1])) : undefined;
    const file = match && bot ? bot.files.byFilePath(decodeURIComponent(match[2])) : undefined;
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.status(404).type('application/json').send(JSON.stringify(notFound().toJSON()));
      return;
    }
    res.status(200);
    res.setHeader('content-type', file.mime_type ?? 'application/octet-stream');
    res.setHeader('content-length', String(file.data.length));
    res.end(req.method === 'HEAD' ? undefined : file.data);
  };
}
