import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance) {
  // Public so load balancers and the demo script can poll it; it names subsystems, not secrets.
  app.get('/api/health', { config: { access: 'public' }, schema: { tags: ['health'] } }, async (_request, reply) => {
    const report = await app.health.report();
    return reply.status(report.status === 'down' ? 503 : 200).send(report);
  });
}
