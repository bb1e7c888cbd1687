export { startTelegramSimulator, TelegramSimulator, createSimulatorApp } from './simulator';
export type { TelegramSimulatorOptions } from './options';
export {
  TelegramSimControlClient,
  type SimBot,
  type SimFile,
  type SimMediaInput,
  type SimMessageInput,
  type SimMediaGroupInput,
  type SimWebhookState,
} from './control/control-client';
export type { FaultRule, ActiveFault } from './faults/faults';
export type { RateLimitOptions } from './limits/rate-limiter';
export type { SentRecord } from './state/bot-state';
export type { TgChat, TgMessage, TgUpdate, TgUser, TgMessageEntity } from './state/telegram-types';
export type { RequestLogEntry, CreateBotInput } from './simulator-engine';
export { SimulatorEngine } from './simulator-engine';
export { loadApiSpec, resolveSpecPath } from './spec/api-spec';
