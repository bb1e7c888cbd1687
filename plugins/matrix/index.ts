/**
 * The Matrix plugin: a bot account on any Matrix homeserver (bot mode).
 */
import { definePlugin } from '../../src/core/adapter';
import { MatrixAdapter } from './matrix.adapter';
import { matrixManifest } from './matrix.manifest';
import { MatrixSettings } from './matrix.settings';

export const plugin = definePlugin({
  manifest: matrixManifest,
  settingsClass: MatrixSettings,
  createAdapter: (context) => new MatrixAdapter(context),
});

export { MatrixAdapter } from './matrix.adapter';
export { MatrixSettings } from './matrix.settings';
