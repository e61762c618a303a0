// Every 4xx/5xx leaves as `{ error, message }`; internals never leak into a 5xx message.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../lib/http-error';

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad_json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'bad_json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request'],
  FST_ERR_RATE_LIMIT_EXCEEDED: [429, 'rate_limited'],
};

export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError) return reply.status(err.statusCode).send({ error: err.code, message: err.message });
    if (err.validation) {
      return reply.status(400).send({ error: 'validation', message: `${err.validationContext ?? 'request'} ${err.validation[0]?.instancePath ?? ''} ${err.validation[0]?.message ?? err.message}`.replace(/\s+/g, ' ').trim() });
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.status(known[0]).send({ error: known[1], message: err.message });
    if (err instanceof SyntaxError && (err as FastifyError).statusCode === 400) {
      return reply.status(400).send({ error: 'bad_json', message: 'Body is not valid JSON' });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.status(500).send({ error: 'internal', message: 'Internal server error' });
    }
    return reply.status(status).send({ error: 'bad_request', message: err.message });
  });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    const clientRoute = request.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/media/') && !/\.[a-z0-9]+$/i.test(url);
    if (clientRoute && app.hasReplyDecorator('sendFile')) return reply.type('text/html').sendFile('index.html');
    reply.status(404).send({ error: 'not_found', message: `No route ${request.method} ${url}` });
  });
});
