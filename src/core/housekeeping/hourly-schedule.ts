/** How often housekeeping runs, and how long after start the first run waits. */
export const HOUSEKEEPING_INTERVAL_MS = 60 * 60_000;
export const FIRST_HOUSEKEEPING_AFTER_MS = 60_000;

/**
 * Runs `task` a minute after start (not during boot) and then once an hour, on timers that do not
 * keep the process alive. Returns the function that stops it. Every gateway process may run the
 * same housekeeping: the tasks are idempotent deletes.
 */
export function scheduleHourly(task: () => Promise<unknown>): () => void {
  const first = setTimeout(() => void task(), FIRST_HOUSEKEEPING_AFTER_MS);
  const every = setInterval(() => void task(), HOUSEKEEPING_INTERVAL_MS);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
