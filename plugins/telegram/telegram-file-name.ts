/**
 * grammY writes an upload's name unquoted into its multipart header (`filename=<name>`), which
 * breaks names with spaces, parentheses or non-ASCII letters. Such names are handed to grammY
 * already quoted (RFC 7578 quoted-string, UTF-8), so the server reads the whole name.
 */
export function multipartFileName(name: string): string {
  const clean = name.replace(/[\r\n]/g, ' ').trim() || 'file';
  if (/^[A-Za-z0-9._-]+$/.test(clean)) return clean;
  return `"${clean.replace(/[\\"]/g, '\\$&')}"`;
}
