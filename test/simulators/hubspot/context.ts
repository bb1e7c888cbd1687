import type { LoadedDoc } from './openapi-docs';
import type { HubSpotSimulatorOptions } from './options';
import type { SimState } from './state';
import type { WebhookDispatcher } from './webhooks';

/** What every route module needs: options, state, documents and collaborators. */
export interface SimContext {
  options: HubSpotSimulatorOptions;
  state: SimState;
  docs: LoadedDoc[];
  webhooks: WebhookDispatcher;
  filesDir: string;
  /** Set once the server listens, e.g. http://127.0.0.1:4010 */
  baseUrl: string;
  /** Secret used to sign file download URLs. */
  urlSigningKey: string;
  now(): number;
}
