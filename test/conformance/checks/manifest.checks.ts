import { describe, expect } from '@jest/globals';
import { basename } from 'node:path';
import { validatePluginSettings } from '../conformance-session';
import { manifestProblems } from '../manifest-problems';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

export function describeManifestChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  describe('manifest', () => {
    check('is well-formed and its capabilities are consistent', async () => {
      expect(manifestProblems(session.manifest)).toEqual([]);
    });

    check('is the manifest the adapter serves', async () => {
      expect(session.adapter.manifest).toEqual(session.manifest);
    });

    if (session.options.pluginDir) {
      const folder = basename(session.options.pluginDir);
      check(`id is the plugin folder name ("${folder}")`, async () => {
        expect(session.manifest.id).toBe(folder);
      });
    }

    if (session.options.plugin.settingsClass) {
      check('settings class accepts the harness settings and rejects unknown keys', async () => {
        const raw = { ...session.harness.pluginSettings(), conformanceUnknownKey: true };
        await expect(validatePluginSettings(session.options.plugin, raw)).rejects.toThrow(
          /conformanceUnknownKey/,
        );
      });
    }
  });
}
