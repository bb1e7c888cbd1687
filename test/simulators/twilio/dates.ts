/** Twilio's date formats. */

/** RFC 2822 in GMT, as Twilio renders resource dates: "Tue, 24 Nov 2026 19:00:32 +0000". */
export function rfc2822(date: Date | null): string | null {
  if (!date) return null;
  return date.toUTCString().replace('GMT', '+0000');
}

/** Carrier DLR time `YYMMDDhhmm` (UTC) as in `RawDlrDoneDate`. */
export function rawDlrDate(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    two(date.getUTCFullYear() % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes())
  );
}
