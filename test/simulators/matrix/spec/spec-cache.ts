import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return entry.name.endsWith('.yaml') ? [full] : [];
  });
}

/**
 * Parsed YAML of every spec file under `dataDir/<subdirs>`, keyed by path relative to `dataDir`.
 * Parsing ~230 YAML files costs seconds inside Jest, so the result is cached as JSON in the OS
 * temp dir, keyed by the files' paths, sizes and mtimes (a changed spec invalidates the cache).
 */
export function loadSpecFiles(dataDir: string, subdirs: string[]): Map<string, unknown> {
  const files = subdirs.flatMap((s) => yamlFiles(join(dataDir, s))).sort();
  const hash = createHash('sha256');
  for (const f of files) {
    const st = statSync(f);
    hash.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
  }
  const cacheFile = join(tmpdir(), `matrix-sim-spec-${hash.digest('hex').slice(0, 16)}.json`);
  try {
    const cached: unknown = JSON.parse(readFileSync(cacheFile, 'utf8'));
    if (cached && typeof cached === 'object') return new Map(Object.entries(cached));
  } catch {
    // no usable cache: parse below
  }
  const out: Record<string, unknown> = {};
  for (const f of files)
    out[relative(dataDir, f).split(sep).join('/')] = parse(readFileSync(f, 'utf8'));
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(out));
    renameSync(tmp, cacheFile);
  } catch {
    // cache is an optimisation only
  }
  return new Map(Object.entries(out));
}
