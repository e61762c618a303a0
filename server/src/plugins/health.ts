// Each subsystem registers a check; /api/health reports them all (database, Redis, media, analytics…).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type HealthStatus = 'ok' | 'degraded' | 'down';
export interface HealthResult {
  status: HealthStatus;
  detail?: unknown;
}
export type HealthCheck = () => Promise<HealthResult>;

export class HealthRegistry {
  private checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(timeoutMs = 2000): Promise<{ status: HealthStatus; checks: Record<string, HealthResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, HealthResult]> => {
        try {
          const result = await Promise.race([
            check(),
            new Promise<HealthResult>((resolve) => setTimeout(() => resolve({ status: 'down', detail: 'timeout' }), timeoutMs).unref()),
          ]);
          return [name, result];
        } catch (err) {
          return [name, { status: 'down', detail: (err as Error).message }];
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const statuses = entries.map(([, r]) => r.status);
    const status: HealthStatus = statuses.includes('down') ? 'down' : statuses.includes('degraded') ? 'degraded' : 'ok';
    return { status, checks };
  }
}

export const healthPlugin = fp(async (app: FastifyInstance) => {
  app.decorate('health', new HealthRegistry());
});
