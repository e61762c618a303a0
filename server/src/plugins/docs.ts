// OpenAPI document and UI at /api/docs, generated from the route schemas.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const docsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Qianliyan (千里眼) API', version: '0.1.0', description: 'Video and security operations centre' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'qly_sid' },
          deviceKey: { type: 'apiKey', in: 'header', name: 'X-Device-Key' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
});
