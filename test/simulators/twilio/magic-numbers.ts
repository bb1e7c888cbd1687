import { TwilioApiError, errors } from './errors';

/** Twilio test-credential magic numbers, mirrored for any account when enabled. */

export const MAGIC_VALID_FROM = '+15005550006';

export function magicToError(to: string): TwilioApiError | undefined {
  switch (to) {
    case '+15005550001':
      return errors.invalidTo(to);
    case '+15005550002':
      return errors.unroutable(to);
    case '+15005550003':
      return errors.geoPermission(to);
    case '+15005550004':
      return errors.unsubscribed();
    case '+15005550009':
      return errors.notMobile(to);
    default:
      return undefined;
  }
}

export function magicFromError(from: string): TwilioApiError | undefined {
  switch (from) {
    case '+15005550001':
      return errors.invalidFrom(from);
    case '+15005550007':
      return errors.notMessageCapable(from);
    case '+15005550008':
      return errors.queueFull();
    default:
      return undefined;
  }
}
