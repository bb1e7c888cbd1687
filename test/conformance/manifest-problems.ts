/**
 * Static checks of an adapter manifest: each returns human-readable problems (empty: fine).
 */
import {
  BINARY_ATTACHMENT_KINDS,
  type AdapterManifest,
  type AttachmentKind,
  type Credentials,
  type DeliveryIdentifierType,
  type RichTextFeature,
} from '../../src/core/adapter';

const ATTACHMENT_KINDS: AttachmentKind[] = [...BINARY_ATTACHMENT_KINDS, 'location', 'contact'];
const IDENTIFIER_TYPES: DeliveryIdentifierType[] = [
  'HS_EMAIL_ADDRESS',
  'HS_PHONE_NUMBER',
  'CHANNEL_SPECIFIC_OPAQUE_ID',
];
const RICH_TEXT: RichTextFeature[] = [
  'HYPERLINK',
  'BOLD',
  'ITALIC',
  'UNDERLINE',
  'BLOCKQUOTE',
  'LISTS',
  'TEXT_ALIGNMENT',
];
/** A plugin folder name: lower case, digits, dashes; starts with a letter. */
export const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const MIME_PATTERN = /^(\*\/\*|[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*))$/i;

export function manifestProblems(manifest: AdapterManifest): string[] {
  return [
    ...identityProblems(manifest),
    ...credentialSchemaProblems(manifest),
    ...inboundProblems(manifest),
    ...outboundProblems(manifest),
  ];
}

function identityProblems(m: AdapterManifest): string[] {
  const problems: string[] = [];
  if (!PLUGIN_ID_PATTERN.test(m.id)) problems.push(`id "${m.id}" must match ${PLUGIN_ID_PATTERN}`);
  if (!m.displayName?.trim()) problems.push('displayName is empty');
  if (!m.description?.trim()) problems.push('description is empty');
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(m.version ?? '')) {
    problems.push(`version "${m.version}" is not semver`);
  }
  if (!IDENTIFIER_TYPES.includes(m.deliveryIdentifierType)) {
    problems.push(`deliveryIdentifierType "${m.deliveryIdentifierType}" is unknown`);
  }
  if (m.logoUrl !== undefined && !/^(https?:\/\/|\/)/.test(m.logoUrl)) {
    problems.push('logoUrl must be an absolute http(s) URL or a path starting with /');
  }
  return problems;
}

function credentialSchemaProblems(m: AdapterManifest): string[] {
  const problems: string[] = [];
  if (!Array.isArray(m.credentials) || m.credentials.length === 0) {
    return ['credentials must declare at least one field'];
  }
  const keys = m.credentials.map((field) => field.key);
  duplicates(keys).forEach((key) => problems.push(`credential key "${key}" is declared twice`));
  for (const field of m.credentials) {
    const where = `credential "${field.key}"`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(field.key))
      problems.push(`${where}: key is not an identifier`);
    if (!field.label?.trim()) problems.push(`${where}: label is empty`);
    if (typeof field.secret !== 'boolean') problems.push(`${where}: secret must be a boolean`);
    if (typeof field.required !== 'boolean') problems.push(`${where}: required must be a boolean`);
    if (field.pattern !== undefined && !compiles(field.pattern)) {
      problems.push(`${where}: pattern is not a valid regular expression`);
    }
  }
  if (!m.credentials.some((field) => field.required)) {
    problems.push('no credential field is required');
  }
  return problems;
}

function inboundProblems(m: AdapterManifest): string[] {
  const problems: string[] = [];
  for (const kind of m.inbound.attachments) {
    if (!ATTACHMENT_KINDS.includes(kind))
      problems.push(`inbound attachment kind "${kind}" is unknown`);
  }
  duplicates(m.inbound.attachments).forEach((k) => problems.push(`inbound kind "${k}" twice`));
  if (typeof m.inbound.edits !== 'boolean') problems.push('inbound.edits must be a boolean');
  if (typeof m.inbound.replies !== 'boolean') problems.push('inbound.replies must be a boolean');
  return problems;
}

function outboundProblems(m: AdapterManifest): string[] {
  const o = m.outbound;
  const problems: string[] = [];
  if (o.formatting === 'html' && o.richText.length === 0) {
    problems.push('outbound.formatting "html" needs at least one richText feature');
  }
  if (o.formatting === 'plain' && o.richText.length > 0) {
    problems.push('outbound.richText must be empty when formatting is "plain"');
  }
  if (o.formatting !== 'html' && o.formatting !== 'plain') {
    problems.push(`outbound.formatting "${o.formatting}" is unknown`);
  }
  o.richText
    .filter((feature) => !RICH_TEXT.includes(feature))
    .forEach((feature) => problems.push(`richText feature "${feature}" is unknown`));
  duplicates(o.richText).forEach((f) => problems.push(`richText feature "${f}" twice`));
  const binary: readonly string[] = BINARY_ATTACHMENT_KINDS;
  o.attachments
    .filter((kind) => !binary.includes(kind))
    .forEach((kind) => problems.push(`outbound attachment kind "${kind}" is not a binary kind`));
  duplicates(o.attachments).forEach((k) => problems.push(`outbound kind "${k}" twice`));
  if (!positiveInteger(o.maxTextLength)) problems.push('outbound.maxTextLength must be > 0');
  if (o.attachments.length > 0) {
    if (!positiveInteger(o.maxAttachmentCount)) problems.push('maxAttachmentCount must be > 0');
    if (!positiveInteger(o.maxAttachmentSizeBytes))
      problems.push('maxAttachmentSizeBytes must be > 0');
    if (o.allowedMimeTypes.length === 0) problems.push('allowedMimeTypes is empty');
  }
  o.allowedMimeTypes
    .filter((type) => !MIME_PATTERN.test(type))
    .forEach((type) => problems.push(`allowedMimeTypes entry "${type}" is not a MIME type`));
  for (const flag of ['replies', 'readReceipts', 'asyncDeliveryStatus'] as const) {
    if (typeof o[flag] !== 'boolean') problems.push(`outbound.${flag} must be a boolean`);
  }
  return problems;
}

/** Problems of a credentials object against the declared fields (required, pattern). */
export function credentialsProblems(m: AdapterManifest, credentials: Credentials): string[] {
  const problems: string[] = [];
  for (const field of m.credentials) {
    const value = credentials[field.key];
    if (field.required && !value) problems.push(`required credential "${field.key}" is missing`);
    if (
      value &&
      field.pattern &&
      compiles(field.pattern) &&
      !new RegExp(field.pattern).test(value)
    ) {
      problems.push(`credential "${field.key}" does not match its declared pattern`);
    }
  }
  const unknown = Object.keys(credentials).filter((k) => !m.credentials.some((f) => f.key === k));
  unknown.forEach((key) => problems.push(`credential "${key}" is not declared`));
  return problems;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function positiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

function duplicates<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}
