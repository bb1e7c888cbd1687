import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the nearest ancestor of this file holding a package.json. */
function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

/**
 * Directory of the matrix-spec checkout (the one holding `data/`): env MATRIX_SPEC_DIR, else
 * `<repo>/../shared/matrix-spec`. Files are read in place, never copied into the repo.
 */
export function resolveSpecDir(explicit?: string): string {
  const chosen = explicit ?? process.env.MATRIX_SPEC_DIR;
  const dir = chosen
    ? resolve(chosen)
    : resolve(findRepoRoot(__dirname), '..', 'shared', 'matrix-spec');
  if (!existsSync(join(dir, 'data', 'api', 'client-server'))) {
    throw new Error(`Matrix spec not found at ${dir} (set MATRIX_SPEC_DIR to the matrix-spec dir)`);
  }
  return dir;
}
