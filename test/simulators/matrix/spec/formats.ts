import type Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Matrix-specific `format` values used by the spec's schemas (grammar per the appendices). */
const MATRIX_FORMATS: Record<string, RegExp> = {
  'mx-user-id': /^@[^:\s]+:[^\s]+$/,
  'mx-room-id': /^![^\s]+$/,
  'mx-event-id': /^\$[^\s]+$/,
  'mx-room-alias': /^#[^:\s]+:[^\s]+$/,
  'mx-mxc-uri': /^mxc:\/\/[^/\s]+\/[A-Za-z0-9_-]+$/,
  'mx-server-name': /^[A-Za-z0-9.:[\]-]+$/,
  'mx-unpadded-base64': /^[A-Za-z0-9+/]*$/,
  'mx-urlsafe-unpadded-base64': /^[A-Za-z0-9_-]*$/,
};

export function addMatrixFormats(ajv: Ajv2020): void {
  addFormats(ajv);
  for (const [name, re] of Object.entries(MATRIX_FORMATS)) ajv.addFormat(name, re);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
}
