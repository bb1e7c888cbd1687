import { AppservicePusher } from './appservice/pusher';
import { AppserviceRegistry } from './appservice/registry';
import { FaultInjector } from './http/faults';
import { RateLimiter } from './http/rate-limit';
import { EventValidator } from './spec/event-validator';
import { OpenApiIndex } from './spec/openapi-index';
import { RequestValidator } from './spec/request-validator';
import { schemaRegistry, type SchemaRegistry } from './spec/schema-registry';
import { resolveSpecDir } from './spec/spec-dir';
import { RoomService } from './state/room-service';
import { SimStore } from './state/store';
import type { AppservicePushConfig, MatrixSimulatorOptions, RequestLogEntry } from './types';

export const DEFAULT_VERSIONS = [
  'v1.1',
  'v1.2',
  'v1.3',
  'v1.4',
  'v1.5',
  'v1.6',
  'v1.7',
  'v1.8',
  'v1.9',
  'v1.10',
  'v1.11',
  'v1.12',
];

const indexes = new WeakMap<SchemaRegistry, OpenApiIndex>();

/** Everything the routes share: state, spec validators, appservices, faults, limits, logs. */
export class SimCore {
  readonly serverName: string;
  readonly registry: SchemaRegistry;
  readonly openapi: OpenApiIndex;
  readonly requestValidator: RequestValidator;
  readonly eventValidator: EventValidator;
  readonly store: SimStore;
  readonly rooms: RoomService;
  readonly appservices: AppserviceRegistry;
  readonly pusher: AppservicePusher;
  readonly faults: FaultInjector;
  readonly rateLimiter: RateLimiter;
  readonly requestLog: RequestLogEntry[] = [];
  readonly requestLogLimit: number;
  maxUploadBytes: number;
  legacyMediaDownload: 'frozen' | 'serve';
  readonly allowAccessTokenQuery: boolean;
  readonly versions: string[];

  constructor(options: MatrixSimulatorOptions) {
    this.serverName = options.serverName ?? 'localhost';
    this.registry = schemaRegistry(resolveSpecDir(options.specDir));
    let index = indexes.get(this.registry);
    if (!index) {
      index = new OpenApiIndex(this.registry);
      indexes.set(this.registry, index);
    }
    this.openapi = index;
    this.requestValidator = new RequestValidator(this.registry);
    this.eventValidator = new EventValidator(this.registry);
    this.store = new SimStore(this.serverName);
    this.rooms = new RoomService(this.store, this.eventValidator);
    this.appservices = new AppserviceRegistry(this.serverName);
    const push: AppservicePushConfig = {
      initialBackoffMs: 100,
      maxBackoffMs: 5000,
      requestTimeoutMs: 10000,
      ephemeralKeys: 'both',
      maxEventsPerTransaction: 100,
      ...options.appservicePush,
    };
    this.pusher = new AppservicePusher(this.store, this.appservices, push);
    this.faults = new FaultInjector(options.seed ?? 1);
    for (const f of options.faults ?? []) this.faults.add(f);
    this.rateLimiter = new RateLimiter({
      enabled: false,
      perSecond: 0.2,
      burst: 10,
      ...options.rateLimit,
    });
    this.requestLogLimit = options.requestLogLimit ?? 2000;
    this.maxUploadBytes = options.maxUploadBytes ?? 50 * 1024 * 1024;
    this.legacyMediaDownload = options.legacyMediaDownload ?? 'frozen';
    this.allowAccessTokenQuery = options.allowAccessTokenQuery ?? true;
    this.versions = options.versions ?? DEFAULT_VERSIONS;
  }

  logRequest(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    if (this.requestLog.length > this.requestLogLimit) this.requestLog.shift();
  }
}
