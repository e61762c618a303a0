// Incidents: list/detail for operators and (their team's) patrols, operator-created incidents,
// dispatch with team suggestions, status changes, photos, and the SLA report.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import { HttpError, notFound } from '../lib/http-error';
import { errorResponses, IdParams, Page, Uuid } from '../lib/schemas';
import { actorOf } from '../incidents/actor';
import { toIncident } from '../incidents/model';
import { sniffImage, storePhoto, type PhotoKind } from '../incidents/photos';
import { incidentDetail, listIncidents, slaReport, type ListFilters } from '../incidents/queries';
import {
  CreateIncident,
  DispatchBody,
  IncidentDetail,
  IncidentOut,
  ListQuery,
  PhotoKindSchema,
  PhotoOut,
  TeamSuggestionOut,
  TransitionBody,
} from '../incidents/schemas';
import { assertVisible } from '../incidents/service';
import { rankTeams } from '../incidents/teams';

const staff = { access: ['admin', 'operator'] as const };
const people = { access: ['admin', 'operator', 'patrol'] as const };
const tags = ['incidents'];
const PhotoParams = Type.Object({ id: Uuid, photoId: Uuid }, { additionalProperties: false });

export default async function incidentRoutes(app: FastifyInstance) {
  const maxPhotoBytes = app.incidentRuntime.settings.maxPhotoBytes;
  await app.register(multipart, { limits: { fileSize: maxPhotoBytes, files: 1, fields: 5, parts: 6 } });

  /** The incident row, 404 when missing, 403 when a patrol member asks for another team's. */
  async function visibleRow(id: string, request: Parameters<typeof actorOf>[0]) {
    const { rows } = await app.db.query('SELECT * FROM incidents WHERE id = $1', [id]);
    if (!rows[0]) throw notFound('Incident');
    assertVisible(rows[0], actorOf(request));
    return rows[0];
  }

  app.get('/api/incidents', { config: people, schema: { tags, querystring: ListQuery, response: { 200: Page(IncidentOut), ...errorResponses } } }, async (request) =>
    listIncidents(app.db, request.query as ListFilters, actorOf(request)),
  );

  app.get(
    '/api/incidents/report',
    {
      config: staff,
      schema: {
        tags,
        querystring: Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ from: Type.String(), to: Type.String(), rows: Type.Array(Type.Record(Type.String(), Type.Unknown())) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { from: string; to: string };
      return { from: q.from, to: q.to, rows: await slaReport(app.db, new Date(q.from), new Date(q.to)) };
    },
  );

  app.post('/api/incidents', { config: staff, schema: { tags, body: CreateIncident, response: { 201: IncidentOut, ...errorResponses } } }, async (request, reply) => {
    const body = request.body as Static<typeof CreateIncident>;
    const { incident } = await app.incidents.create({ ...body, source: 'operator' }, actorOf(request));
    await app.audit.write(request, { action: 'incident.create', targetType: 'incident', targetId: incident.id, details: { type: body.type, cameraId: body.cameraId ?? null } });
    return reply.status(201).send(incident);
  });

  app.get('/api/incidents/:id', { config: people, schema: { tags, params: IdParams, response: { 200: IncidentDetail, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const row = await visibleRow(id, request);
    return { incident: toIncident(row), ...(await incidentDetail(app.db, id)) };
  });

  app.get('/api/incidents/:id/suggestions', { config: staff, schema: { tags, params: IdParams, response: { 200: Type.Array(TeamSuggestionOut), ...errorResponses } } }, async (request) => {
    const row = await visibleRow((request.params as { id: string }).id, request);
    return rankTeams(app.db, { x: row.x, y: row.y });
  });

  app.post('/api/incidents/:id/dispatch', { config: staff, schema: { tags, params: IdParams, body: DispatchBody, response: { 200: IncidentOut, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const { teamId } = request.body as Static<typeof DispatchBody>;
    const incident = await app.incidents.dispatch(id, teamId, actorOf(request));
    await app.audit.write(request, { action: 'incident.dispatch', targetType: 'incident', targetId: id, details: { teamId } });
    return incident;
  });

  app.post('/api/incidents/:id/transitions', { config: people, schema: { tags, params: IdParams, body: TransitionBody, response: { 200: IncidentOut, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const { action, note } = request.body as Static<typeof TransitionBody>;
    try {
      const incident = await app.incidents.transition(id, action, actorOf(request), note);
      await app.audit.write(request, { action: `incident.${action}`, targetType: 'incident', targetId: id });
      return incident;
    } catch (err) {
      if (err instanceof HttpError && (err.statusCode === 403 || err.statusCode === 409)) {
        await app.audit.write(request, { action: `incident.${action}`, targetType: 'incident', targetId: id, outcome: 'denied', details: { reason: err.message } });
      }
      throw err;
    }
  });

  app.post(
    '/api/incidents/:id/photos',
    {
      config: people,
      schema: {
        tags,
        params: IdParams,
        querystring: Type.Object({ kind: Type.Optional(PhotoKindSchema) }, { additionalProperties: false }),
        consumes: ['multipart/form-data'],
        response: { 201: PhotoOut, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const kind: PhotoKind = (request.query as { kind?: PhotoKind }).kind ?? 'scene';
      const row = await visibleRow(id, request);
      if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'Send the photo as multipart/form-data (field "file")');
      const file = await request.file();
      if (!file) throw new HttpError(400, 'validation', 'No file in the upload');
      let data: Buffer;
      try {
        data = await file.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'payload_too_large', `Photos may be at most ${maxPhotoBytes} bytes`);
        throw err;
      }
      const mime = sniffImage(data);
      if (!mime) throw new HttpError(415, 'unsupported_media_type', 'Only JPEG and PNG photos are accepted');
      const stored = await storePhoto(app.config.dataDir, id, mime, data);
      const actor = actorOf(request);
      const { rows } = await app.db.query(
        `INSERT INTO incident_photos (id, incident_id, kind, path, mime, bytes, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [stored.id, id, kind, stored.relPath, mime, data.length, actor.userId],
      );
      if (kind === 'snapshot' && !row.snapshot_path) await app.db.query('UPDATE incidents SET snapshot_path = $2, updated_at = now() WHERE id = $1 AND snapshot_path IS NULL', [id, stored.relPath]);
      await app.db.query(
        `INSERT INTO incident_events (incident_id, actor_user_id, actor_kind, action, data, address) VALUES ($1, $2, $3, 'photo_added', $4, $5)`,
        [id, actor.userId, actor.role ?? actor.kind, { photoId: stored.id, kind, bytes: data.length }, actor.address],
      );
      await app.audit.write(request, { action: 'incident.photo', targetType: 'incident', targetId: id, details: { photoId: stored.id, kind, bytes: data.length } });
      const p = rows[0];
      return reply.status(201).send({ id: p.id, kind: p.kind, mime: p.mime, bytes: p.bytes, createdAt: p.created_at.toISOString(), url: `/api/incidents/${id}/photos/${p.id}` });
    },
  );

  const sendImage = async (reply: import('fastify').FastifyReply, relPath: string, mime: string) => {
    const full = path.isAbsolute(relPath) ? relPath : path.join(app.config.dataDir, relPath);
    await access(full).catch(() => {
      throw notFound('Image file');
    });
    return reply.type(mime).header('cache-control', 'private, max-age=3600').send(createReadStream(full));
  };

  app.get('/api/incidents/:id/photos/:photoId', { config: people, schema: { tags, params: PhotoParams } }, async (request, reply) => {
    const { id, photoId } = request.params as { id: string; photoId: string };
    await visibleRow(id, request);
    const { rows } = await app.db.query('SELECT path, mime FROM incident_photos WHERE id = $1 AND incident_id = $2', [photoId, id]);
    if (!rows[0]) throw notFound('Photo');
    return sendImage(reply, rows[0].path, rows[0].mime);
  });

  app.get('/api/incidents/:id/snapshot', { config: people, schema: { tags, params: IdParams } }, async (request, reply) => {
    const row = await visibleRow((request.params as { id: string }).id, request);
    if (!row.snapshot_path) throw notFound('Snapshot');
    return sendImage(reply, row.snapshot_path, row.snapshot_path.endsWith('.png') ? 'image/png' : 'image/jpeg');
  });
}
