import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { buildApp } from './app';
import {
  editContent,
  emoteContent,
  locationContent,
  mediaContent,
  noticeContent,
  replyContent,
  textContent,
  voiceContent,
  type MediaOptions,
  type TextOptions,
} from './control/content';
import { SimController } from './control/controller';
import { SimCore } from './core';
import { MediaRepo } from './state/media';
import type { MatrixSimulatorOptions, RecordedEvent } from './types';

/**
 * A running simulator: the control operations (inherited from SimController, same as the
 * `/__sim` HTTP API) plus message helpers for the "customer" side.
 */
export class MatrixSimulator extends SimController {
  constructor(
    readonly baseUrl: string,
    readonly serverName: string,
    core: SimCore,
    media: MediaRepo,
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
  ) {
    super(core, media);
  }

  get port(): number {
    return Number(new URL(this.baseUrl).port);
  }

  sendText(roomId: string, sender: string, body: string, opts?: TextOptions): RecordedEvent {
    return this.sendEvent(roomId, sender, 'm.room.message', textContent(body, opts));
  }

  sendNotice(roomId: string, sender: string, body: string, opts?: TextOptions): RecordedEvent {
    return this.sendEvent(roomId, sender, 'm.room.message', noticeContent(body, opts));
  }

  sendEmote(roomId: string, sender: string, body: string, opts?: TextOptions): RecordedEvent {
    return this.sendEvent(roomId, sender, 'm.room.message', emoteContent(body, opts));
  }

  sendMedia(
    roomId: string,
    sender: string,
    msgtype: 'm.image' | 'm.file' | 'm.audio' | 'm.video',
    opts: MediaOptions,
  ): RecordedEvent {
    return this.sendEvent(roomId, sender, 'm.room.message', mediaContent(msgtype, opts));
  }

  sendVoice(
    roomId: string,
    sender: string,
    opts: MediaOptions & { waveform?: number[] },
  ): RecordedEvent {
    return this.sendEvent(roomId, sender, 'm.room.message', voiceContent(opts));
  }

  sendLocation(roomId: string, sender: string, geoUri: string, body?: string): RecordedEvent {
    return this.sendEvent(roomId, sender, 'm.room.message', locationContent(geoUri, body));
  }

  sendReply(
    roomId: string,
    sender: string,
    inReplyTo: string,
    body: string,
    opts?: TextOptions,
  ): RecordedEvent {
    return this.sendEvent(
      roomId,
      sender,
      'm.room.message',
      replyContent(inReplyTo, textContent(body, opts)),
    );
  }

  sendEdit(
    roomId: string,
    sender: string,
    eventId: string,
    newBody: string,
    opts?: TextOptions,
  ): RecordedEvent {
    return this.sendEvent(
      roomId,
      sender,
      'm.room.message',
      editContent(eventId, textContent(newBody, opts)),
    );
  }

  /** Events created through the client-server API (bot or appservice), i.e. what the gateway sent. */
  sentByGateway(roomId: string): RecordedEvent[] {
    return this.events(roomId).filter((e) => e.source !== 'control');
  }

  /** Resolves with the first event in the room (already recorded or future) matching `predicate`. */
  waitForEvent(
    roomId: string,
    predicate: (e: RecordedEvent) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedEvent> {
    const existing = this.events(roomId).find(predicate);
    if (existing) return Promise.resolve(existing);
    const store = this.core.store;
    return new Promise((resolve, reject) => {
      const onEvent = (e: RecordedEvent): void => {
        if (e.event.room_id !== roomId || !predicate(e)) return;
        clearTimeout(timer);
        store.off('event', onEvent);
        resolve(e);
      };
      const timer = setTimeout(() => {
        store.off('event', onEvent);
        reject(new Error(`No matching event in ${roomId} within ${timeoutMs} ms`));
      }, timeoutMs);
      store.on('event', onEvent);
    });
  }

  /** Resolves when every appservice queue is empty and nothing is in flight. */
  waitForTransactions(timeoutMs?: number): Promise<boolean> {
    return this.core.pusher.waitForIdle(timeoutMs);
  }

  pauseTransactions(): void {
    this.core.pusher.paused = true;
  }

  resumeTransactions(): void {
    this.core.pusher.resume();
  }

  close(): Promise<void> {
    this.core.pusher.close();
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      for (const s of this.sockets) s.destroy();
    });
  }
}

/** Starts the simulator on 127.0.0.1 (`options.port`, default 0 = free port). */
export async function startMatrixSimulator(
  options: MatrixSimulatorOptions = {},
): Promise<MatrixSimulator> {
  const core = new SimCore(options);
  const media = new MediaRepo(core.store, () => core.maxUploadBytes);
  const controller = new SimController(core, media);
  for (const u of options.users ?? []) controller.createUser(u);
  for (const reg of options.appservices ?? []) controller.registerAppservice(reg);
  const app = buildApp(core, media, controller);
  const sockets = new Set<Socket>();
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return new MatrixSimulator(
    `http://127.0.0.1:${port}`,
    core.serverName,
    core,
    media,
    server,
    sockets,
  );
}
