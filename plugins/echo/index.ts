/**
 * The Echo plugin: a loopback messenger for demos and tests.
 */
import { definePlugin } from '../../src/core/adapter';
import { EchoAdapter } from './echo.adapter';
import { echoManifest } from './echo.manifest';
import { EchoSettings } from './echo.settings';

export const plugin = definePlugin({
  manifest: echoManifest,
  settingsClass: EchoSettings,
  createAdapter: (context) => new EchoAdapter(context),
});

export { EchoAdapter } from './echo.adapter';
export { EchoSettings } from './echo.settings';
export { EchoPlatform } from './echo-platform';
export { EchoPlatformServer } from './echo-platform-server';
