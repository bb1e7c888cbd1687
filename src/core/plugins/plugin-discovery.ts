import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DiscoveredPlugin {
  name: string;
  /** The module to require: the folder's index (index.ts in development, index.js when built). */
  entry: string;
}

const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * `plugins/` next to `src/`: the repository's plugins folder when running from source (tests),
 * `dist/plugins` when running the build.
 */
export function defaultPluginsDir(): string {
  return resolve(__dirname, '..', '..', '..', 'plugins');
}

/** Every folder under `pluginsDir` that has an index module is a plugin, named by the folder. */
export function discoverPlugins(pluginsDir: string = defaultPluginsDir()): DiscoveredPlugin[] {
  if (!existsSync(pluginsDir)) return [];
  return readdirSync(pluginsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && PLUGIN_NAME.test(entry.name))
    .filter((entry) =>
      ['index.js', 'index.ts'].some((file) => existsSync(join(pluginsDir, entry.name, file))),
    )
    .map((entry) => ({ name: entry.name, entry: join(pluginsDir, entry.name, 'index') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
