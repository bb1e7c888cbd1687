import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The generated API types are committed source: regenerating them from the OpenAPI documents in
 * shared/hubspot-openapi must give byte-identical files, so they cannot drift from the documents.
 */
describe('generated HubSpot API types', () => {
  it('are identical to a fresh `npm run hubspot:types`', () => {
    const script = join(__dirname, 'generate-types.mjs');
    const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('checked 8 HubSpot API type modules');
  }, 120_000);
});
