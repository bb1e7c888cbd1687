import type { HubSpotMessageRef, ReportedStatus } from '../hubspot-status-reporter';

export interface ReportedCall {
  portalId: string;
  channelId: string;
  messageId: string;
  status: ReportedStatus;
  errorMessage?: string;
}

/** Stands in for HubSpotStatusReporter: records each PATCH, or fails the next ones on demand. */
export class RecordingReporter {
  readonly calls: ReportedCall[] = [];
  private failures: Error[] = [];

  /** The next `report` calls throw these errors, in order (nothing is recorded for them). */
  failWith(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  report(target: HubSpotMessageRef, status: ReportedStatus, errorMessage?: string): Promise<void> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.calls.push({
      ...target,
      status,
      ...(errorMessage !== undefined && status === 'FAILED' && { errorMessage }),
    });
    return Promise.resolve();
  }

  statuses(messageId: string): ReportedStatus[] {
    return this.calls.filter((call) => call.messageId === messageId).map((call) => call.status);
  }
}
