export { startHubSpotSimulator, type HubSpotSimulator } from './server';
export {
  resolveOptions,
  type FaultRule,
  type HubSpotSimulatorOptions,
  type RateLimitOptions,
} from './options';
export { signatureV3, decodeSignatureUri } from './signature';
export type { ConnectResult, CreatedPortalInfo, SimControl } from './control';
export type * from './types';
