import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { JobQueue } from '../queue/job-queue';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';

@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
    private readonly queue: JobQueue,
  ) {}

  /** 200 while the gateway serves (ok or degraded), 503 when the database or queue is down. */
  @Get('health')
  async getHealth(@Res() response: Response): Promise<void> {
    const report = await this.health.check();
    response.status(report.status === 'error' ? 503 : 200).json(report);
  }

  @Get('metrics')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async getMetrics(@Res() response: Response): Promise<void> {
    try {
      this.metrics.recordQueueStats(await this.queue.stats());
    } catch {
      // The queue's own health shows on /health; metrics still render.
    }
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
