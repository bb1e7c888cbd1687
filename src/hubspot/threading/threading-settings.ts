/**
 * How a platform conversation maps to HubSpot threads, chosen per channel account (stored in the
 * account's settings under `threading`):
 * - `continuous`: one thread per chat, for ever (HubSpot decides what a message to a closed
 *   thread does);
 * - `after-silence`: a new thread when the customer writes after `silenceHours` without messages;
 * - `after-ticket-closed`: a new thread when the current thread (and its ticket) was closed.
 */
export type ThreadingMode = 'continuous' | 'after-silence' | 'after-ticket-closed';

export const THREADING_MODES: readonly ThreadingMode[] = [
  'continuous',
  'after-silence',
  'after-ticket-closed',
];

export interface ThreadingSettings {
  mode: ThreadingMode;
  /** Hours of silence that start a new thread in `after-silence` mode (0.5 to 8760). */
  silenceHours: number;
}

/** The key under which an account's settings object holds its threading settings. */
export const THREADING_SETTINGS_KEY = 'threading';

export const DEFAULT_THREADING: ThreadingSettings = { mode: 'continuous', silenceHours: 24 };

const MIN_SILENCE_HOURS = 0.5;
const MAX_SILENCE_HOURS = 24 * 365;

/** Checks admin input; `problems` name each bad key (`threading.mode: ...`). */
export function parseThreadingSettings(input: unknown): {
  settings?: ThreadingSettings;
  problems: string[];
} {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { problems: ['threading: must be an object with mode and silenceHours'] };
  }
  const record = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (key !== 'mode' && key !== 'silenceHours') problems.push(`threading.${key}: unknown key`);
  }
  const mode = record.mode ?? DEFAULT_THREADING.mode;
  if (!THREADING_MODES.includes(mode as ThreadingMode)) {
    problems.push(
      `threading.mode: must be one of ${THREADING_MODES.join(', ')} (got ${JSON.stringify(mode)})`,
    );
  }
  const hours = record.silenceHours ?? DEFAULT_THREADING.silenceHours;
  if (
    typeof hours !== 'number' ||
    !Number.isFinite(hours) ||
    hours < MIN_SILENCE_HOURS ||
    hours > MAX_SILENCE_HOURS
  ) {
    problems.push(
      `threading.silenceHours: must be a number of hours between ${MIN_SILENCE_HOURS} and ${MAX_SILENCE_HOURS} (got ${JSON.stringify(hours)})`,
    );
  }
  if (problems.length > 0) return { problems };
  return { settings: { mode: mode as ThreadingMode, silenceHours: hours as number }, problems };
}

/** The threading settings stored in an account's settings; defaults when absent or invalid. */
export function threadingSettingsOf(
  settings: Readonly<Record<string, unknown>>,
): ThreadingSettings {
  const stored = settings[THREADING_SETTINGS_KEY];
  if (stored === undefined) return DEFAULT_THREADING;
  return parseThreadingSettings(stored).settings ?? DEFAULT_THREADING;
}
