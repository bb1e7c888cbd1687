import type { ErrorObject } from 'ajv';

/** Human-readable summary of Ajv errors, e.g. `/info/w must be integer`. */
export function describeErrors(errors: ErrorObject[] | null | undefined, root = ''): string {
  if (!errors || errors.length === 0) return 'invalid';
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'allOf' || e.keyword === 'if') continue;
    const where = `${root}${e.instancePath}` || '(root)';
    let extra = '';
    if (e.keyword === 'additionalProperties' && 'additionalProperty' in e.params) {
      extra = ` '${String(e.params.additionalProperty)}'`;
    }
    if (e.keyword === 'enum' && 'allowedValues' in e.params) {
      extra = ` (${JSON.stringify(e.params.allowedValues)})`;
    }
    seen.add(`${where} ${e.message ?? e.keyword}${extra}`);
    if (seen.size >= 5) break;
  }
  return [...seen].join('; ');
}
