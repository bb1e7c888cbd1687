import type { SimCore } from '../core';
import { badJson } from '../http/errors';
import { describeErrors } from '../spec/error-text';
import type { AppserviceRegistration } from '../types';

/** Validates a registration against the spec's `registration.yaml` and activates it. */
export function registerAppservice(core: SimCore, reg: unknown): AppserviceRegistration {
  const fn = core.registry.validator('api/application-service/definitions/registration.yaml');
  if (!fn(reg)) throw badJson(`Invalid appservice registration: ${describeErrors(fn.errors)}`);
  const registration = reg as AppserviceRegistration; // shape checked by the schema above
  core.appservices.set(registration);
  const sender = core.appservices.senderUserId(registration);
  if (!core.store.users.has(sender)) {
    core.store.users.set(sender, {
      userId: sender,
      devices: new Set(),
      appserviceId: registration.id,
    });
  }
  return registration;
}
