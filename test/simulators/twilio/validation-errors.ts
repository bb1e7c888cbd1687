import { TwilioApiError, errors } from './errors';

/** Maps express-openapi-validator failures onto Twilio's error codes. */

interface ValidatorItem {
  path: string;
  message: string;
  errorCode?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function items(err: Record<string, unknown>): ValidatorItem[] {
  if (!Array.isArray(err.errors)) return [];
  return err.errors.filter(
    (e): e is ValidatorItem =>
      isRecord(e) && typeof e.path === 'string' && typeof e.message === 'string',
  );
}

export function isValidatorError(err: unknown): err is Record<string, unknown> {
  return isRecord(err) && typeof err.status === 'number' && Array.isArray(err.errors);
}

function bodyValue(body: unknown, name: string): string {
  if (!isRecord(body)) return '';
  const value = body[name];
  return Array.isArray(value) ? value.map(String).join(',') : String(value ?? '');
}

export function toTwilioError(
  err: Record<string, unknown>,
  path: string,
  method: string,
  body: unknown,
): TwilioApiError {
  const status = typeof err.status === 'number' ? err.status : 400;
  if (status === 404) return errors.notFound(path);
  if (status === 405) return errors.methodNotAllowed(method);
  const list = items(err);
  const find = (prefix: string): ValidatorItem | undefined =>
    list.find((e) => e.path === prefix || e.path.startsWith(`${prefix}/`));
  const to = find('/body/To');
  if (to)
    return to.errorCode?.startsWith('required')
      ? errors.toRequired()
      : errors.invalidTo(bodyValue(body, 'To'));
  if (find('/params')) return errors.notFound(path);
  if (find('/body/From')) return errors.invalidFrom(bodyValue(body, 'From'));
  if (find('/body/MessagingServiceSid'))
    return errors.invalidServiceSid(bodyValue(body, 'MessagingServiceSid'));
  if (find('/body/StatusCallback')) return errors.invalidStatusCallback();
  if (find('/body/MediaUrl')) return errors.invalidMediaUrl();
  const detail = list
    .map((e) => `${e.path.replace(/^\/(body|query)\//, '')} ${e.message}`)
    .join('; ');
  return errors.invalidParameter(
    detail || (typeof err.message === 'string' ? err.message : 'request'),
  );
}
