/**
 * Where Twilio delivers MMS: US and Canadian numbers only (spec §2; elsewhere Twilio at best
 * sends a link instead). Both share country code +1 with other members of the North American
 * Numbering Plan, told apart by area code.
 */

/** NANP area codes of countries other than the US (and its territories) and Canada. */
const OTHER_NANP_AREA_CODES: ReadonlySet<string> = new Set([
  '242', // Bahamas
  '246', // Barbados
  '264', // Anguilla
  '268', // Antigua and Barbuda
  '284', // British Virgin Islands
  '345', // Cayman Islands
  '441', // Bermuda
  '473', // Grenada
  '649', // Turks and Caicos Islands
  '658', // Jamaica
  '664', // Montserrat
  '721', // Sint Maarten
  '758', // Saint Lucia
  '767', // Dominica
  '784', // Saint Vincent and the Grenadines
  '809', // Dominican Republic
  '829', // Dominican Republic
  '849', // Dominican Republic
  '868', // Trinidad and Tobago
  '869', // Saint Kitts and Nevis
  '876', // Jamaica
]);

/** True for an E.164 number Twilio can send MMS to (US, its territories, Canada). */
export function mmsDestinationSupported(e164: string): boolean {
  const nanp = /^\+1(\d{3})\d{7}$/.exec(e164);
  return nanp !== null && !OTHER_NANP_AREA_CODES.has(nanp[1]);
}
