import type { FaultInjector } from './faults';
import type { MessagePipeline } from './message-pipeline';
import type { ResolvedOptions } from './options';
import type { Scheduler } from './scheduler';
import type { SimulatorStore } from './store';
import type { WebhookSender } from './webhook-sender';

/** Everything a route or control operation needs. */
export interface SimContext {
  store: SimulatorStore;
  options: ResolvedOptions;
  scheduler: Scheduler;
  faults: FaultInjector;
  webhooks: WebhookSender;
  pipeline: MessagePipeline;
  /** Base URL used for resource URIs given to clients (media URLs etc.). */
  publicBaseUrl(): string;
}
