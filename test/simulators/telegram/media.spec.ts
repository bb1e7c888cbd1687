import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTelegramSimulator, type TelegramSimulator, type TgMessage } from './index';
import { callApi, TINY_PNG } from './test-helpers';

describe('Telegram simulator: media and files', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false });
    token = (await sim.createBot()).token;
    chatId = (await sim.createCustomer()).chat.id;
  });
  afterAll(() => sim.close());

  const upload = (method: string, field: string, fileName: string, data: Buffer, extra = {}) =>
    callApi(
      sim.baseUrl,
      token,
      method,
      { chat_id: chatId, [field]: 'attach://f1', ...extra },
      { files: [{ name: 'f1', fileName, data }] },
    );

  it('sendPhoto stores the upload, returns sizes and serves the bytes via getFile', async () => {
    const res = await upload('sendPhoto', 'photo', 'pic.png', TINY_PNG, {
      caption: '<b>look</b>',
      parse_mode: 'HTML',
    });
    const message = res.body.result as TgMessage;
    expect(message).toMatchObject({
      caption: 'look',
      caption_entities: [{ type: 'bold', offset: 0, length: 4 }],
    });
    const sizes = message.photo as Array<{ file_id: string; width: number; file_size: number }>;
    expect(sizes.at(-1)).toMatchObject({ width: 1, height: 1, file_size: TINY_PNG.length });
    const file = await callApi(sim.baseUrl, token, 'getFile', { file_id: sizes.at(-1)?.file_id });
    const path = (file.body.result as { file_path: string }).file_path;
    const download = await fetch(sim.fileUrl(token, path));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(TINY_PNG);
    const [record] = (await sim.sentMessages(token, chatId)).slice(-1);
    expect(record.files).toEqual([
      expect.objectContaining({ param: 'photo', file_name: 'pic.png', size: TINY_PNG.length }),
    ]);
  });

  it('builds document, audio, voice, video, animation, video note and sticker messages', async () => {
    const bytes = Buffer.from('media-bytes');
    const doc = await upload('sendDocument', 'document', 'report.pdf', bytes);
    expect(doc.body.result).toMatchObject({
      document: { file_name: 'report.pdf', mime_type: 'application/pdf', file_size: bytes.length },
    });
    const audio = await upload('sendAudio', 'audio', 'song.mp3', bytes, {
      duration: 3,
      title: 'T',
    });
    expect(audio.body.result).toMatchObject({
      audio: { duration: 3, title: 'T', mime_type: 'audio/mpeg' },
    });
    const voice = await upload('sendVoice', 'voice', 'note.ogg', bytes, { duration: 2 });
    expect(voice.body.result).toMatchObject({ voice: { duration: 2, mime_type: 'audio/ogg' } });
    const wav = await upload('sendVoice', 'voice', 'note.wav', bytes);
    expect(wav.body.result).toHaveProperty('document');
    const video = await upload('sendVideo', 'video', 'clip.mp4', bytes, {
      width: 320,
      height: 240,
    });
    expect(video.body.result).toMatchObject({ video: { width: 320, height: 240 } });
    const gif = await upload('sendAnimation', 'animation', 'fun.mp4', bytes);
    expect(gif.body.result).toHaveProperty('animation');
    expect(gif.body.result).toHaveProperty('document');
    const round = await upload('sendVideoNote', 'video_note', 'round.mp4', bytes, { length: 240 });
    expect(round.body.result).toMatchObject({ video_note: { length: 240 } });
    const tgs = await upload('sendSticker', 'sticker', 'anim.tgs', bytes, { emoji: '🙂' });
    expect(tgs.body.result).toMatchObject({
      sticker: { is_animated: true, is_video: false, emoji: '🙂' },
    });
  });

  it('limits captions to 1024 characters after parsing', async () => {
    const ok = await upload('sendDocument', 'document', 'a.txt', Buffer.from('a'), {
      caption: `<i>${'c'.repeat(1024)}</i>`,
      parse_mode: 'HTML',
    });
    expect(ok.status).toBe(200);
    const long = await upload('sendDocument', 'document', 'a.txt', Buffer.from('a'), {
      caption: 'c'.repeat(1025),
    });
    expect(long.body.description).toBe('Bad Request: message caption is too long');
  });

  it('re-sends by file_id but refuses to change the file type', async () => {
    const first = await upload('sendDocument', 'document', 'a.txt', Buffer.from('abc'));
    const fileId = (first.body.result as { document: { file_id: string } }).document.file_id;
    const again = await callApi(sim.baseUrl, token, 'sendDocument', {
      chat_id: chatId,
      document: fileId,
    });
    expect(again.body.result).toMatchObject({ document: { file_id: fileId } });
    const asPhoto = await callApi(sim.baseUrl, token, 'sendPhoto', {
      chat_id: chatId,
      photo: fileId,
    });
    expect(asPhoto.body.description).toBe("Bad Request: can't use file of type Document as Photo");
    const unknown = await callApi(sim.baseUrl, token, 'sendPhoto', {
      chat_id: chatId,
      photo: 'nope',
    });
    expect(unknown.body.description).toBe('Bad Request: wrong file identifier/HTTP URL specified');
  });

  it('downloads InputFile URLs on loopback', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' }).end(TINY_PNG);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cat.png`;
    const res = await callApi(sim.baseUrl, token, 'sendPhoto', { chat_id: chatId, photo: url });
    expect(res.status).toBe(200);
    const [record] = (await sim.sentMessages(token, chatId)).slice(-1);
    expect(record.files[0]).toMatchObject({ file_name: 'cat.png', size: TINY_PNG.length });
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends media groups with attach:// parts and enforces size and mixing rules', async () => {
    const media = [
      { type: 'photo', media: 'attach://p1', caption: 'album' },
      { type: 'video', media: 'attach://v1' },
    ];
    const res = await callApi(
      sim.baseUrl,
      token,
      'sendMediaGroup',
      { chat_id: chatId, media },
      {
        files: [
          { name: 'p1', fileName: 'p.png', data: TINY_PNG },
          { name: 'v1', fileName: 'v.mp4', data: Buffer.from('video') },
        ],
      },
    );
    const messages = res.body.result as TgMessage[];
    expect(messages).toHaveLength(2);
    expect(messages[0].media_group_id).toBeDefined();
    expect(messages[1].media_group_id).toBe(messages[0].media_group_id);
    expect(messages[0]).toMatchObject({ caption: 'album' });
    expect(messages[1]).toHaveProperty('video');

    const one = await callApi(sim.baseUrl, token, 'sendMediaGroup', {
      chat_id: chatId,
      media: [media[0]],
    });
    expect(one.body.description).toBe('Bad Request: too few messages to send as an album');
    const eleven = Array.from({ length: 11 }, () => ({ type: 'photo', media: 'x' }));
    const many = await callApi(sim.baseUrl, token, 'sendMediaGroup', {
      chat_id: chatId,
      media: eleven,
    });
    expect(many.body.description).toBe('Bad Request: too many messages to send as an album');
    const mixed = await callApi(sim.baseUrl, token, 'sendMediaGroup', {
      chat_id: chatId,
      media: [
        { type: 'photo', media: 'x' },
        { type: 'document', media: 'y' },
      ],
    });
    expect(mixed.body.description).toBe(
      'Bad Request: documents and audio files can be grouped in an album only with the same type',
    );
    const missing = await callApi(sim.baseUrl, token, 'sendMediaGroup', {
      chat_id: chatId,
      media: [
        { type: 'document', media: 'attach://gone' },
        { type: 'document', media: 'attach://gone2' },
      ],
    });
    expect(missing.body.description).toBe('Bad Request: there is no media[0] in the request');
  });

  it('serves customer files via getFile and refuses files over 20 MB', async () => {
    const voice = Buffer.from('OggS-voice-bytes');
    const injected = await sim.injectMessage(token, {
      chat_id: chatId,
      voice: { data: voice, file_name: 'v.ogg', duration: 4 },
    });
    const fileId = (injected.message.voice as { file_id: string }).file_id;
    const file = await callApi(sim.baseUrl, token, 'getFile', { file_id: fileId });
    expect(file.body.result).toMatchObject({
      file_size: voice.length,
      file_path: expect.any(String),
    });
    const path = (file.body.result as { file_path: string }).file_path;
    const bytes = Buffer.from(await (await fetch(sim.fileUrl(token, path))).arrayBuffer());
    expect(bytes).toEqual(voice);

    const big = await sim.uploadFile(token, {
      kind: 'document',
      size: 20 * 1024 * 1024 + 1,
      file_name: 'big.zip',
    });
    expect(big.file_size).toBe(20 * 1024 * 1024 + 1);
    const tooBig = await callApi(sim.baseUrl, token, 'getFile', { file_id: big.file_id });
    expect(tooBig.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: file is too big',
    });
    const exact = await sim.uploadFile(token, { kind: 'document', size: 20 * 1024 * 1024 });
    expect((await callApi(sim.baseUrl, token, 'getFile', { file_id: exact.file_id })).status).toBe(
      200,
    );

    const notFound = await fetch(sim.fileUrl(token, 'documents/missing.bin'));
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('rejects photo uploads over 10 MB with 413', async () => {
    const res = await upload('sendPhoto', 'photo', 'huge.jpg', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(res).toEqual({
      status: 413,
      body: { ok: false, error_code: 413, description: 'Request Entity Too Large' },
    });
  });
});
