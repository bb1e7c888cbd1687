import DataLoader from 'dataloader';

/** Keys read together at most (SQLite's statements stay small; PostgreSQL's too). */
const MAX_KEYS = 64;

/**
 * Reads that concurrent jobs make at the same time, in one statement: DataLoader collects the
 * keys asked for during one turn of the event loop (the completions of one I/O poll) and loads
 * them together. On SQLite every statement is a trip to libuv's threadpool and back, whose
 * wake-ups cost more than the read itself; at full load the message pipeline's reads were the
 * larger part of its statements. No cache: every load reads the database, as a single read would.
 */
export function batchedReads<K, V>(
  load: (keys: readonly K[]) => Promise<(V | undefined)[]>,
): DataLoader<K, V | undefined> {
  return new DataLoader<K, V | undefined>(load, {
    cache: false,
    maxBatchSize: MAX_KEYS,
    batchScheduleFn: (callback) => setImmediate(callback),
  });
}

/**
 * `count` keys padded to the next power of two by repeating the last one, so that a statement
 * over a list of keys comes in a few shapes (prepared once each), not one per count.
 */
export function paddedKeys<K>(keys: readonly K[]): K[] {
  let size = 1;
  while (size < keys.length) size *= 2;
  const padded = [...keys];
  while (padded.length < size) padded.push(keys[keys.length - 1]);
  return padded;
}
