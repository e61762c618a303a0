// After-school classrooms (staff): the classroom registry, its cameras, weekly opening hours,
// exceptions (holidays, closures) and enrolled children. Any change re-checks playing views.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { registerCrud } from '../lib/crud';
import { badRequest, notFound } from '../lib/http-error';
import { errorResponses, IdParams, Name, SafeText, Uuid } from '../lib/schemas';
import { isForeignKeyViolation } from '../lib/sql';
import { loadSchedules } from '../parents/access';

export const STAFF = ['admin', 'operator'] as const;
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
export const Day = Type.String({ format: 'date' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const ClassroomBody = Type.Object({ name: Name, siteId: Uuid }, { additionalProperties: false });
const ClassroomOut = Type.Object({ id: Type.String(), name: Type.String(), siteId: Type.String(), createdAt: Type.String() });

const Slot = Type.Object({ weekday: Type.Integer({ minimum: 0, maximum: 6 }), opens: Time, closes: Time }, { additionalProperties: false });
const ScheduleBody = Type.Object({ slots: Type.Array(Slot, { maxItems: 28 }) }, { additionalProperties: false });
const ExceptionBody = Type.Object(
  { day: Day, closed: Type.Boolean(), opens: Type.Optional(Nullable(Time)), closes: Type.Optional(Nullable(Time)), note: Type.Optional(SafeText(200)) },
  { additionalProperties: false },
);
const ExceptionOut = Type.Object({ id: Type.String(), day: Type.String(), closed: Type.Boolean(), opens: Nullable(Type.String()), closes: Nullable(Type.String()), note: Type.String() });
const EnrolmentBody = Type.Object({ childName: Name, validFrom: Day, validTo: Day }, { additionalProperties: false });
const EnrolmentOut = Type.Object({ id: Type.String(), classroomId: Type.String(), childName: Type.String(), validFrom: Type.String(), validTo: Type.String() });
const CameraRef = Type.Object({ id: Type.String(), name: Type.String(), status: Type.String() });
const Detail = Type.Object({
  classroom: ClassroomOut,
  site: Type.Object({ id: Type.String(), name: Type.String(), timezone: Type.String() }),
  cameras: Type.Array(CameraRef),
  weekly: Type.Array(Type.Object({ weekday: Type.Integer(), opens: Type.String(), closes: Type.String() })),
  exceptions: Type.Array(ExceptionOut),
  enrolments: Type.Array(EnrolmentOut),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = any;
const toClassroom = (r: Row) => ({ id: r.id, name: r.name, siteId: r.site_id, createdAt: r.created_at.toISOString() });
const toException = (r: Row) => ({ id: r.id, day: r.day, closed: r.closed, opens: r.opens?.slice(0, 5) ?? null, closes: r.closes?.slice(0, 5) ?? null, note: r.note });
const toEnrolment = (r: Row) => ({ id: r.id, classroomId: r.classroom_id, childName: r.child_name, validFrom: r.valid_from, validTo: r.valid_to });
const hhmm = (t: string) => t.slice(0, 5);
const EXCEPTION_COLUMNS = `id, day::text AS day, closed, opens::text AS opens, closes::text AS closes, note`;
const ENROLMENT_COLUMNS = `id, classroom_id, child_name, valid_from::text AS valid_from, valid_to::text AS valid_to`;

export async function assertClassroom(app: FastifyInstance, id: string): Promise<void> {
  const { rowCount } = await app.db.query('SELECT 1 FROM classrooms WHERE id = $1', [id]);
  if (!rowCount) throw notFound('Classroom');
}

export default async function classroomRoutes(app: FastifyInstance) {
  const tags = ['classrooms'];
  const staff = { access: STAFF };
  const changed = async (request: FastifyRequest, action: string, targetId: string, details: Record<string, unknown> = {}) => {
    app.parents.changed();
    await app.audit.write(request, { action, targetType: 'classroom', targetId, details });
    // Views that may no longer play (a camera unlinked, hours shortened) stop now, not at the next sweep.
    await app.parents.sweep();
  };

  registerCrud(app, {
    path: '/api/classrooms',
    table: 'classrooms',
    entity: 'classroom',
    read: STAFF,
    write: STAFF,
    columns: { name: 'name', siteId: 'site_id' },
    create: ClassroomBody,
    out: ClassroomOut,
    searchColumns: ['name'],
    filters: { siteId: { column: 'site_id', schema: Uuid } },
    toApi: toClassroom,
  });

  app.get('/api/classrooms/:id/detail', { config: staff, schema: { tags, params: IdParams, response: { 200: Detail, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const { rows } = await app.db.query(
      `SELECT c.*, s.name AS site_name, s.timezone FROM classrooms c JOIN sites s ON s.id = c.site_id WHERE c.id = $1`,
      [id],
    );
    const c = rows[0];
    if (!c) throw notFound('Classroom');
    const [cameras, exceptions, enrolments, schedules] = await Promise.all([
      app.db.query(`SELECT k.id, k.name, k.status FROM classroom_cameras cc JOIN cameras k ON k.id = cc.camera_id WHERE cc.classroom_id = $1 ORDER BY k.name`, [id]),
      app.db.query(`SELECT ${EXCEPTION_COLUMNS} FROM schedule_exceptions WHERE classroom_id = $1 ORDER BY day`, [id]),
      app.db.query(`SELECT ${ENROLMENT_COLUMNS} FROM enrolments WHERE classroom_id = $1 ORDER BY child_name, id`, [id]),
      loadSchedules(app.db, [id]),
    ]);
    return {
      classroom: toClassroom(c),
      site: { id: c.site_id, name: c.site_name, timezone: c.timezone },
      cameras: cameras.rows,
      weekly: schedules.get(id)!.weekly.map((s) => ({ weekday: s.weekday, opens: hhmm(s.opens), closes: hhmm(s.closes) })),
      exceptions: exceptions.rows.map(toException),
      enrolments: enrolments.rows.map(toEnrolment),
    };
  });

  app.put(
    '/api/classrooms/:id/cameras',
    {
      config: staff,
      schema: { tags, params: IdParams, body: Type.Object({ cameraIds: Type.Array(Uuid, { maxItems: 16, uniqueItems: true }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { cameraIds } = request.body as { cameraIds: string[] };
      await assertClassroom(app, id);
      const client = await app.db.connect();
      try {
        await client.query('BEGIN');
        await client.query('DELETE FROM classroom_cameras WHERE classroom_id = $1', [id]);
        await client.query('INSERT INTO classroom_cameras (classroom_id, camera_id) SELECT $1, unnest($2::uuid[])', [id, cameraIds]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        if (isForeignKeyViolation(err)) throw badRequest('Unknown camera', 'validation');
        throw err;
      } finally {
        client.release();
      }
      await changed(request, 'classroom.cameras', id, { cameraIds });
      return reply.status(204).send();
    },
  );

  app.put('/api/classrooms/:id/schedule', { config: staff, schema: { tags, params: IdParams, body: ScheduleBody, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { slots } = request.body as Static<typeof ScheduleBody>;
    for (const [i, s] of slots.entries()) if (s.closes <= s.opens) throw badRequest(`body/slots/${i} closes must be after opens`, 'validation');
    await assertClassroom(app, id);
    const client = await app.db.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM classroom_schedules WHERE classroom_id = $1', [id]);
      for (const s of slots) await client.query('INSERT INTO classroom_schedules (classroom_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)', [id, s.weekday, s.opens, s.closes]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
    await changed(request, 'classroom.schedule', id, { slots: slots.length });
    return reply.status(204).send();
  });

  app.put(
    '/api/classrooms/:id/exceptions',
    { config: staff, schema: { tags, params: IdParams, body: ExceptionBody, response: { 200: ExceptionOut, ...errorResponses } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof ExceptionBody>;
      const opens = b.closed ? null : (b.opens ?? null);
      const closes = b.closed ? null : (b.closes ?? null);
      if (!b.closed && (!opens || !closes || closes <= opens)) throw badRequest('An open day needs opens and closes, closes after opens', 'validation');
      await assertClassroom(app, id);
      const { rows } = await app.db.query(
        `INSERT INTO schedule_exceptions (classroom_id, day, closed, opens, closes, note) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (classroom_id, day) DO UPDATE SET closed = EXCLUDED.closed, opens = EXCLUDED.opens, closes = EXCLUDED.closes, note = EXCLUDED.note
         RETURNING ${EXCEPTION_COLUMNS}`,
        [id, b.day, b.closed, opens, closes, b.note ?? ''],
      );
      await changed(request, 'classroom.exception', id, { day: b.day, closed: b.closed });
      return toException(rows[0]);
    },
  );

  app.delete('/api/schedule-exceptions/:id', { config: staff, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { rows } = await app.db.query('DELETE FROM schedule_exceptions WHERE id = $1 RETURNING classroom_id', [id]);
    if (!rows[0]) throw notFound('Exception');
    await changed(request, 'classroom.exception.delete', rows[0].classroom_id, { exceptionId: id });
    return reply.status(204).send();
  });

  app.post('/api/classrooms/:id/enrolments', { config: staff, schema: { tags, params: IdParams, body: EnrolmentBody, response: { 201: EnrolmentOut, ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const b = request.body as Static<typeof EnrolmentBody>;
    if (b.validTo < b.validFrom) throw badRequest('validTo must not be before validFrom', 'validation');
    await assertClassroom(app, id);
    const { rows } = await app.db.query(
      `INSERT INTO enrolments (classroom_id, child_name, valid_from, valid_to) VALUES ($1, $2, $3, $4) RETURNING ${ENROLMENT_COLUMNS}`,
      [id, b.childName, b.validFrom, b.validTo],
    );
    await app.audit.write(request, { action: 'enrolment.create', targetType: 'enrolment', targetId: rows[0].id, details: { classroomId: id } });
    return reply.status(201).send(toEnrolment(rows[0]));
  });

  app.patch(
    '/api/enrolments/:id',
    { config: staff, schema: { tags, params: IdParams, body: Type.Partial(EnrolmentBody, { minProperties: 1, additionalProperties: false }), response: { 200: EnrolmentOut, ...errorResponses } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Partial<Static<typeof EnrolmentBody>>;
      const { rows } = await app.db.query(`SELECT valid_from::text AS valid_from, valid_to::text AS valid_to FROM enrolments WHERE id = $1`, [id]);
      if (!rows[0]) throw notFound('Enrolment');
      if ((b.validTo ?? rows[0].valid_to) < (b.validFrom ?? rows[0].valid_from)) throw badRequest('validTo must not be before validFrom', 'validation');
      await app.db.query(
        `UPDATE enrolments SET child_name = coalesce($2, child_name), valid_from = coalesce($3, valid_from), valid_to = coalesce($4, valid_to) WHERE id = $1`,
        [id, b.childName ?? null, b.validFrom ?? null, b.validTo ?? null],
      );
      const updated = await app.db.query(`SELECT ${ENROLMENT_COLUMNS} FROM enrolments WHERE id = $1`, [id]);
      await changed(request, 'enrolment.update', updated.rows[0].classroom_id, { enrolmentId: id, fields: Object.keys(b) });
      return toEnrolment(updated.rows[0]);
    },
  );

  app.delete('/api/enrolments/:id', { config: staff, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { rows } = await app.db.query('DELETE FROM enrolments WHERE id = $1 RETURNING classroom_id', [id]);
    if (!rows[0]) throw notFound('Enrolment');
    await changed(request, 'enrolment.delete', rows[0].classroom_id, { enrolmentId: id });
    return reply.status(204).send();
  });
}
