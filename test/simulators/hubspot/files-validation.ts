import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { validationError } from './errors';
import { isObject, type LoadedDoc } from './openapi-docs';

/**
 * Multipart uploads bypass express-openapi-validator (it would buffer them through multer), so the
 * text parts are validated here with Ajv against the document's own multipart schema, and the
 * `options` JSON against FileUploadOptions as documented in spec 8.1 (`access` required).
 */
const OPTIONS_SCHEMA = {
  type: 'object',
  required: ['access'],
  additionalProperties: false,
  properties: {
    access: {
      type: 'string',
      enum: [
        'PUBLIC_INDEXABLE',
        'PUBLIC_NOT_INDEXABLE',
        'HIDDEN_INDEXABLE',
        'HIDDEN_NOT_INDEXABLE',
        'HIDDEN_PRIVATE',
        'PRIVATE',
        'HIDDEN_SENSITIVE',
        'SENSITIVE',
      ],
    },
    ttl: {
      type: 'string',
      pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
    },
    overwrite: { type: 'boolean' },
    duplicateValidationStrategy: { type: 'string', enum: ['NONE', 'REJECT', 'RETURN_EXISTING'] },
    duplicateValidationScope: { type: 'string', enum: ['ENTIRE_PORTAL', 'EXACT_FOLDER'] },
    expiresAt: { type: 'string' },
  },
};

export interface UploadOptions {
  access: string;
  ttl?: string;
  overwrite?: boolean;
  duplicateValidationStrategy?: string;
  duplicateValidationScope?: string;
}

export type FieldValidator = (fields: Record<string, string>) => UploadOptions;

export function buildUploadValidator(docs: LoadedDoc[]): FieldValidator {
  const files = docs.find((d) => d.file === 'files.v3.json')?.doc;
  const paths = files && isObject(files.paths) ? files.paths : {};
  const item = paths['/files/v3/files'];
  const post = isObject(item) && isObject(item.post) ? item.post : {};
  const body = isObject(post.requestBody) ? post.requestBody : {};
  const content = isObject(body.content) ? body.content : {};
  const multipart = isObject(content['multipart/form-data']) ? content['multipart/form-data'] : {};
  const schema = isObject(multipart.schema) ? multipart.schema : { type: 'object' };
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  const validateFields = ajv.compile(schema);
  const validateOptions = ajv.compile<UploadOptions>(OPTIONS_SCHEMA);
  return (fields) => {
    if (!validateFields(fields)) {
      throw validationError(
        'Invalid multipart form',
        (validateFields.errors ?? []).map((e) => ({
          message: `${e.instancePath || 'form'} ${e.message ?? ''}`,
        })),
      );
    }
    if (!fields.folderId && !fields.folderPath) {
      throw validationError("Either 'folderId' or 'folderPath' is required", [
        { message: 'folderId or folderPath is required', in: 'folderPath' },
      ]);
    }
    if (fields.options === undefined) {
      throw validationError('options is required (JSON with at least "access")', [
        { message: 'options is required', in: 'options' },
      ]);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields.options);
    } catch {
      throw validationError('options must be a JSON string', [
        { message: 'options is not valid JSON', in: 'options' },
      ]);
    }
    if (!validateOptions(parsed)) {
      throw validationError(
        'Invalid upload options',
        (validateOptions.errors ?? []).map((e) => ({
          message: `options${e.instancePath} ${e.message ?? ''}`,
          in: `options${e.instancePath}`,
        })),
      );
    }
    return parsed;
  };
}
