/** A file part received in a multipart/form-data request. */
export interface UploadedFile {
  readonly kind: 'upload';
  /** Name of the multipart part (grammY uses a random name and references it with attach://). */
  readonly partName: string;
  readonly fileName: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'upload' &&
    Buffer.isBuffer((value as { data?: unknown }).data)
  );
}

/** Parameters of one Bot API call before validation: text values plus multipart file parts. */
export interface RawParams {
  fields: Record<string, unknown>;
  files: Map<string, UploadedFile>;
}
