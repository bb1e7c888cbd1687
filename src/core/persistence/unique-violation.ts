import { QueryFailedError } from 'typeorm';

/**
 * True when a query failed on a unique or primary-key constraint, on PostgreSQL (SQLSTATE 23505)
 * or SQLite (SQLITE_CONSTRAINT "UNIQUE constraint failed"). Repositories insert first and treat
 * this error as "already there", which is atomic where read-then-write is not.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  if (typeof driverError !== 'object' || driverError === null) return false;
  const code = 'code' in driverError ? driverError.code : undefined;
  if (code === '23505') return true;
  const message = 'message' in driverError ? driverError.message : undefined;
  return (
    code === 'SQLITE_CONSTRAINT' &&
    typeof message === 'string' &&
    /UNIQUE constraint failed|PRIMARY KEY/i.test(message)
  );
}
