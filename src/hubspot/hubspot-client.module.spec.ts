import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../core/config/config.tokens';
import { GatewayConfig } from '../core/config/gateway-config';
import { PersistenceModule } from '../core/persistence/persistence.module';
import { HubSpotClient } from './client/hubspot-client';
import { HubSpotClientModule } from './hubspot-client.module';
import { InstallTokenStore } from './oauth/install-token-store';
import { MemoryTokenStore } from './oauth/memory-token-store';
import { HubSpotTokenManager } from './oauth/token-manager';
import { TokenStore } from './oauth/token-store';
import { PortalRateLimiter } from './rate-limit/portal-rate-limiter';

function configModule(config: GatewayConfig) {
  @Global()
  @Module({
    providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
    exports: [GATEWAY_CONFIG],
  })
  class ConfigModule {}
  return ConfigModule;
}

function config(): GatewayConfig {
  return Object.assign(new GatewayConfig(), {
    HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
    HUBSPOT_APP_ID: '4242',
    HUBSPOT_CLIENT_ID: 'client',
    HUBSPOT_CLIENT_SECRET: 'secret',
  });
}

describe(HubSpotClientModule.name, () => {
  it('provides the client pieces from the gateway config', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        configModule(config()),
        HubSpotClientModule.forRoot({
          tokenStore: { provide: TokenStore, useClass: MemoryTokenStore },
          overrides: { rateLimit: { window: { max: 50, intervalMs: 10_000 } } },
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      expect(app.get(HubSpotClient).http.options.baseUrl).toBe('http://127.0.0.1:9');
      expect(app.get(HubSpotClient).http.options.appId).toBe('4242');
      expect(app.get(PortalRateLimiter).options.window).toEqual({ max: 50, intervalMs: 10_000 });
      expect(app.get(HubSpotTokenManager)).toBeInstanceOf(HubSpotTokenManager);
      expect(app.get(TokenStore)).toBeInstanceOf(MemoryTokenStore);
    } finally {
      await app.close();
    }
  });

  it('stores tokens encrypted through the persistence layer by default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hubspot-module-'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        configModule(config()),
        PersistenceModule.forRoot({
          databaseUrl: `sqlite:${join(dir, 'gateway.sqlite')}`,
          encryptionKey: randomBytes(32),
          retryAttempts: 0,
        }),
        HubSpotClientModule.forRoot(),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const store = app.get(TokenStore);
      expect(store).toBeInstanceOf(InstallTokenStore);
      const expiresAt = new Date(Date.now() + 1_800_000);
      await store.save('123', {
        accessToken: 'CNaccess-token-123',
        refreshToken: 'na1-refresh',
        expiresAt,
        scopes: ['oauth'],
      });
      const loaded = await store.load('123');
      expect(loaded).toMatchObject({
        accessToken: 'CNaccess-token-123',
        refreshToken: 'na1-refresh',
        status: 'active',
      });
      const rows: { access_token: string; refresh_token: string }[] = await app
        .get(DataSource)
        .query('SELECT access_token, refresh_token FROM hubspot_installs');
      expect(rows[0].access_token).not.toContain('CNaccess-token-123');
      expect(rows[0].refresh_token).toMatch(/^v1:/);
      await store.markBroken('123', 'refresh token rejected by HubSpot');
      expect(await store.load('123')).toMatchObject({
        status: 'broken',
        brokenReason: 'refresh token rejected by HubSpot',
      });
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
