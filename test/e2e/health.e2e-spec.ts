import { InstallRepository } from '../../src/core/persistence/repositories/install.repository';
import type { GatewayHealth } from '../../src/core/observability/health.service';
import { startTestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

describe('/health and HubSpot installs', () => {
  it('shows each portal install and turns degraded when one is broken', async () => {
    const gateway = await startTestGateway();
    try {
      const installs = gateway.app.get(InstallRepository);
      await installs.upsertTokens('111', {
        accessToken: 'access-token-111',
        refreshToken: 'refresh-token-111',
        expiresAt: new Date(Date.now() + 3_600_000),
        scopes: ['conversations.read'],
      });
      let health = (await (await fetch(`${gateway.url}/health`)).json()) as GatewayHealth;
      expect(health.status).toBe('ok');
      expect(health.hubspot.installs).toEqual([{ portalId: '111', status: 'active' }]);

      await installs.markBroken('111', 'refresh token rejected by HubSpot (BAD_REFRESH_TOKEN)');
      const response = await fetch(`${gateway.url}/health`);
      health = (await response.json()) as GatewayHealth;
      expect(response.status).toBe(200);
      expect(health.status).toBe('degraded');
      expect(health.hubspot.installs).toEqual([
        {
          portalId: '111',
          status: 'broken',
          reason: 'refresh token rejected by HubSpot (BAD_REFRESH_TOKEN)',
        },
      ]);
      expect(JSON.stringify(health)).not.toContain('token-111');
    } finally {
      await gateway.close();
    }
  });
});
