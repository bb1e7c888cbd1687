/**
 * Mutual exclusion of token refreshes across processes. In-process de-duplication is the token
 * manager's SingleFlight; this lock adds the cross-process part (Redis) when REDIS_URL is set.
 */
export abstract class RefreshLock {
  abstract withLock<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** One process only: SingleFlight already serialises refreshes, nothing more to lock. */
export class LocalRefreshLock extends RefreshLock {
  withLock<T>(_key: string, task: () => Promise<T>): Promise<T> {
    return task();
  }
}
