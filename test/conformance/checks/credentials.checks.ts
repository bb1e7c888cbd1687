import { describe, expect } from '@jest/globals';
import { InvalidCredentialsError } from '../../../src/core/adapter';
import { credentialsProblems } from '../manifest-problems';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

export function describeCredentialChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  describe('validateCredentials', () => {
    check(
      'accepts valid credentials: displayName and a delivery identifier of the declared type',
      async () => {
        const account = await session.harness.createAccount();
        expect(credentialsProblems(session.manifest, account.credentials)).toEqual([]);
        const identity = await session.adapter.validateCredentials(account.credentials);
        expect(typeof identity.displayName).toBe('string');
        expect(identity.displayName.trim()).not.toBe('');
        expect(identity.deliveryIdentifier.type).toBe(session.manifest.deliveryIdentifierType);
        expect(identity.deliveryIdentifier.value.trim()).not.toBe('');
        if (identity.normalizedCredentials) {
          expect(credentialsProblems(session.manifest, identity.normalizedCredentials)).toEqual([]);
        }
      },
    );

    check('gives the same identity for the same account twice', async () => {
      const account = await session.harness.createAccount();
      const first = await session.adapter.validateCredentials(account.credentials);
      const second = await session.adapter.validateCredentials(account.credentials);
      expect(second.deliveryIdentifier).toEqual(first.deliveryIdentifier);
    });

    check('rejects credentials the platform refuses with InvalidCredentialsError', async () => {
      const invalid = await session.harness.invalidCredentials();
      expect(invalid.length).toBeGreaterThan(0);
      for (const credentials of invalid) {
        const error = await session.adapter.validateCredentials(credentials).then(
          () => new Error(`accepted ${JSON.stringify(Object.keys(credentials))}`),
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(InvalidCredentialsError);
        expect((error as InvalidCredentialsError).reason.trim()).not.toBe('');
      }
    });

    check('rejects missing required credentials with InvalidCredentialsError', async () => {
      await expect(session.adapter.validateCredentials({})).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
    });
  });
}
