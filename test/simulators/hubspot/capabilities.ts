import Ajv, { type ErrorObject } from 'ajv';
import { validationError } from './errors';
import type { Capabilities, DeliveryIdentifierType } from './types';

/**
 * The capability keys and value types of spec 3.3. The OpenAPI documents only say
 * "map<string, object>", which real HubSpot does not follow; HubSpot answers invalid values with
 * the error of spec 3.4 (subCategory INVALID_CHANNEL_CAPABILITY_VALUES).
 */
const capabilitySchema = {
  type: 'object',
  properties: {
    deliveryIdentifierTypes: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'string',
        enum: [
          'HS_EMAIL_ADDRESS',
          'HS_PHONE_NUMBER',
          'HS_SHORT_CODE',
          'CHANNEL_SPECIFIC_OPAQUE_ID',
        ],
      },
    },
    threadingModel: { type: 'string', enum: ['INTEGRATION_THREAD_ID', 'DELIVERY_IDENTIFIER'] },
    richText: {
      type: 'array',
      items: {
        type: 'string',
        // Seen values plus the likely ones of spec 3.3 (full list UNCLEAR).
        enum: [
          'HYPERLINK',
          'TEXT_ALIGNMENT',
          'BLOCKQUOTE',
          'BOLD',
          'ITALIC',
          'LISTS',
          'UNDERLINE',
          'FONT_SIZE',
          'FONT_STYLE',
          'TEXT_COLOR',
          'TEXT_HIGHLIGHT_COLOR',
        ],
      },
    },
    allowInlineImages: { type: 'boolean' },
    allowOutgoingMessages: { type: 'boolean' },
    allowConversationStart: { type: 'boolean' },
    allowMultipleRecipients: { type: 'boolean' },
    outgoingAttachmentTypes: { type: 'array', items: { type: 'string', enum: ['FILE'] } },
    allowedFileAttachmentMimeTypes: {
      type: 'array',
      items: { type: 'string', pattern: '^[a-z0-9.+-]+/([a-z0-9.+-]+|\\*)$' },
    },
    maxFileAttachmentCount: { type: 'integer', minimum: 0 },
    maxFileAttachmentSizeBytes: { type: 'integer', minimum: 0 },
    maxTotalFileAttachmentSizeBytes: { type: 'integer', minimum: 0 },
  },
  required: ['deliveryIdentifierTypes'],
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
const strictValidate = ajv.compile({ ...capabilitySchema, additionalProperties: false });
const lenientValidate = ajv.compile(capabilitySchema);

function describe(e: ErrorObject, caps: Capabilities): string {
  const key =
    e.keyword === 'additionalProperties'
      ? String(e.params.additionalProperty)
      : e.keyword === 'required'
        ? String(e.params.missingProperty)
        : e.instancePath.split('/')[1];
  return `"${key}": ${JSON.stringify(caps[key] ?? null)}`;
}

export function validateCapabilities(caps: Capabilities, rejectUnknown: boolean): void {
  const validate = rejectUnknown ? strictValidate : lenientValidate;
  if (validate(caps)) return;
  const errors = validate.errors ?? [];
  const values = [...new Set(errors.map((e) => describe(e, caps)))];
  const err = validationError(
    `One or more Channel Capabilities specified had invalid values: ${values.join(', ')}`,
    errors.map((e) => ({ message: `capabilities${e.instancePath} ${e.message ?? 'invalid'}` })),
    'CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES',
  );
  err.extra.context = { capabilityKeysAndValues: values };
  throw err;
}

export function threadingModelOf(
  caps: Capabilities,
): 'INTEGRATION_THREAD_ID' | 'DELIVERY_IDENTIFIER' {
  // UNCLEAR default (spec 3.3): the original model, INTEGRATION_THREAD_ID.
  return caps.threadingModel === 'DELIVERY_IDENTIFIER'
    ? 'DELIVERY_IDENTIFIER'
    : 'INTEGRATION_THREAD_ID';
}

export function identifierTypesOf(caps: Capabilities): DeliveryIdentifierType[] {
  const v = caps.deliveryIdentifierTypes;
  return Array.isArray(v)
    ? v.filter((x): x is DeliveryIdentifierType => typeof x === 'string')
    : [];
}
