/** Twilio's REST error shape `{code, message, more_info, status}` and the codes the simulator uses. */

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  detail?: string;
}

export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }

  toBody(): TwilioErrorBody {
    const body: TwilioErrorBody = {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
    if (this.detail !== undefined) body.detail = this.detail;
    return body;
  }
}

export const errors = {
  authenticate: (): TwilioApiError =>
    new TwilioApiError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.'),
  notFound: (path: string): TwilioApiError =>
    new TwilioApiError(404, 20404, `The requested resource ${path} was not found`),
  methodNotAllowed: (method: string): TwilioApiError =>
    new TwilioApiError(405, 20004, `Method not allowed: ${method}`),
  tooManyRequests: (): TwilioApiError => new TwilioApiError(429, 20429, 'Too Many Requests'),
  internal: (status: number): TwilioApiError =>
    new TwilioApiError(status, 20500, 'An internal server error has occurred'),
  invalidParameter: (detail: string): TwilioApiError =>
    new TwilioApiError(400, 20001, `Invalid parameter: ${detail}`),
  toRequired: (): TwilioApiError =>
    new TwilioApiError(400, 21604, "A 'To' phone number is required."),
  fromRequired: (): TwilioApiError =>
    new TwilioApiError(400, 21603, "A 'From' phone number is required."),
  bodyRequired: (): TwilioApiError => new TwilioApiError(400, 21602, 'Message body is required.'),
  invalidTo: (to: string): TwilioApiError =>
    new TwilioApiError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  invalidFrom: (from: string): TwilioApiError =>
    new TwilioApiError(
      400,
      21212,
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
    ),
  geoPermission: (to: string): TwilioApiError =>
    new TwilioApiError(
      400,
      21408,
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
    ),
  notMessageCapable: (from: string): TwilioApiError =>
    new TwilioApiError(
      400,
      21606,
      `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination/account.`,
    ),
  notMmsCapable: (from: string): TwilioApiError =>
    new TwilioApiError(400, 21621, `The 'From' number ${from} has not been enabled for MMS.`),
  invalidStatusCallback: (): TwilioApiError =>
    new TwilioApiError(400, 21609, 'Invalid StatusCallback URL.'),
  unsubscribed: (): TwilioApiError =>
    new TwilioApiError(400, 21610, 'Attempt to send to unsubscribed recipient'),
  queueFull: (): TwilioApiError =>
    new TwilioApiError(
      400,
      21611,
      "This 'From' number has exceeded the maximum number of queued messages",
    ),
  unroutable: (to: string): TwilioApiError =>
    new TwilioApiError(
      400,
      21612,
      `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`,
    ),
  notMobile: (to: string): TwilioApiError =>
    new TwilioApiError(400, 21614, `'To' number ${to} is not a valid mobile number`),
  bodyTooLong: (): TwilioApiError =>
    new TwilioApiError(
      400,
      21617,
      'The concatenated message body exceeds the 1600 character limit.',
    ),
  invalidMediaUrl: (): TwilioApiError => new TwilioApiError(400, 21620, 'Invalid media URL(s).'),
  tooManyMedia: (): TwilioApiError =>
    new TwilioApiError(400, 21623, 'Number of media files exceeds allowed limit (10).'),
  invalidServiceSid: (sid: string): TwilioApiError =>
    new TwilioApiError(400, 21701, `The Messaging Service Sid ${sid} is invalid.`),
  scheduleTimestamp: (): TwilioApiError =>
    new TwilioApiError(400, 35114, 'Scheduling does not support this timestamp.'),
  cannotCancel: (): TwilioApiError =>
    new TwilioApiError(400, 30409, 'Only scheduled messages can be canceled.'),
  deleteInProgress: (): TwilioApiError =>
    new TwilioApiError(409, 20009, 'Cannot delete message because it is still in progress.'),
} as const;

/** Human-readable texts for asynchronous error codes (error_message on the resource). */
export const asyncErrorMessages: Record<number, string> = {
  30001: 'Queue overflow',
  30002: 'Account suspended',
  30003: 'Unreachable destination handset',
  30004: 'Message blocked',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
  30011: 'MMS not supported by the receiving phone number in this region',
  30019: 'Content size exceeds carrier limit',
  11200: 'HTTP retrieval failure',
  12300: 'Invalid Content-Type',
  63019: 'Media failed to download',
  21610: 'Attempt to send to unsubscribed recipient',
  21211: "Invalid 'To' Phone Number",
};
