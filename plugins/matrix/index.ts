/**
 * The Matrix plugin: a bot account on any Matrix homeserver (bot mode), or an application
 * service registered on the homeserver (appservice mode, `matrix:registration` prints its file).
 */
import { definePlugin } from '../../src/core/adapter';
import { matrixRegistrationCommand } from './matrix-registration.command';
import { MatrixAdapter } from './matrix.adapter';
import { matrixManifest } from './matrix.manifest';
import { MatrixSettings } from './matrix.settings';

export const plugin = definePlugin({
  manifest: matrixManifest,
  settingsClass: MatrixSettings,
  createAdapter: (context) => new MatrixAdapter(context),
  commands: [matrixRegistrationCommand],
});

export { MatrixAdapter } from './matrix.adapter';
export { MatrixSettings } from './matrix.settings';
