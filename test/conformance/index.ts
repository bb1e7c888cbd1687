/**
 * The adapter conformance kit: what a plugin's tests import.
 */
export { describeAdapterConformance } from './describe-adapter-conformance';
export type { AdapterConformanceOptions } from './conformance-options';
export type {
  AccountConnection,
  ConformanceHarness,
  CustomerEvent,
  HarnessAccount,
  InjectedCustomerEvent,
  PlatformReceivedMessage,
  RichTextSpan,
  SendFailure,
} from './conformance-harness';
export {
  InMemoryAccountContext,
  type InMemoryAccountContextInit,
} from './in-memory-account-context';
export { InMemoryStateStore } from './in-memory-state-store';
export { RecordingLogger, type LogEntry, type LogLevel } from './recording-logger';
export { WebhookRelay } from './webhook-relay';
export { PublicFileHost, type FileRequest, type PublishedFile } from './public-file-host';
export { manifestProblems, credentialsProblems } from './manifest-problems';
export { withoutAuthHeaders } from './checks/webhook.checks';
export * from './fixtures';
