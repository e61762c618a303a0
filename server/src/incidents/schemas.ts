// Request/response schemas of the incident, alarm and patrol routes.
import { Type } from '@sinclair/typebox';
import { Coord, SafeText, Uuid } from '../lib/schemas';
import { PHOTO_KINDS } from './photos';
import { ACTIONS, STATUSES } from './state';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());
const NNum = Type.Union([Type.Number(), Type.Null()]);
const Phase = Type.Object({ due: Type.String(), state: Type.String() });

export const StatusSchema = Type.Union(STATUSES.map((s) => Type.Literal(s)));
export const ActionSchema = Type.Union(ACTIONS.map((a) => Type.Literal(a)));
export const PhotoKindSchema = Type.Union(PHOTO_KINDS.map((k) => Type.Literal(k)));
export const IncidentType = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' });

export const IncidentOut = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  type: Type.String(),
  priority: Type.Integer(),
  status: Type.String(),
  title: Type.String(),
  description: Type.String(),
  source: Type.String(),
  siteId: NStr,
  cameraId: NStr,
  deviceId: NStr,
  eventId: NStr,
  teamId: NStr,
  x: NNum,
  y: NNum,
  location: Type.String(),
  duplicates: Type.Integer(),
  hasSnapshot: Type.Boolean(),
  occurredAt: NStr,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  dispatchedAt: NStr,
  acknowledgedAt: NStr,
  onSceneAt: NStr,
  resolvedAt: NStr,
  closedAt: NStr,
  sla: Type.Object({ ack: Phase, scene: Phase, resolve: Phase }),
});

export const TimelineEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorKind: Type.String(),
  actorUserId: NStr,
  actorName: NStr,
  action: Type.String(),
  fromStatus: NStr,
  toStatus: NStr,
  data: Type.Record(Type.String(), Type.Unknown()),
  address: NStr,
});

export const DispatchOut = Type.Object({
  id: Type.String(),
  teamId: Type.String(),
  teamName: Type.String(),
  attempt: Type.Integer(),
  status: Type.String(),
  dispatchedAt: Type.String(),
  ackDeadlineAt: Type.String(),
  acknowledgedAt: NStr,
  escalatedAt: NStr,
});

export const PhotoOut = Type.Object({ id: Type.String(), kind: Type.String(), mime: Type.String(), bytes: Type.Integer(), createdAt: Type.String(), url: Type.String() });

export const IncidentDetail = Type.Object({
  incident: IncidentOut,
  timeline: Type.Array(TimelineEntry),
  dispatches: Type.Array(DispatchOut),
  photos: Type.Array(PhotoOut),
});

export const CreateIncident = Type.Object(
  {
    type: IncidentType,
    title: Type.Optional(SafeText(100, 1)),
    description: Type.Optional(SafeText(1000)),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    cameraId: Type.Optional(Uuid),
    siteId: Type.Optional(Uuid),
    x: Type.Optional(Coord),
    y: Type.Optional(Coord),
    location: Type.Optional(SafeText(200)),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    q: Type.Optional(SafeText(100)),
    status: Type.Optional(StatusSchema),
    open: Type.Optional(Type.Boolean()),
    type: Type.Optional(IncidentType),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    teamId: Type.Optional(Uuid),
    source: Type.Optional(Type.Union([Type.Literal('alarm'), Type.Literal('analytics'), Type.Literal('operator')])),
  },
  { additionalProperties: false },
);

export const TransitionBody = Type.Object({ action: ActionSchema, note: Type.Optional(SafeText(1000)) }, { additionalProperties: false });
export const DispatchBody = Type.Object({ teamId: Uuid }, { additionalProperties: false });

export const TeamSuggestionOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  x: Type.Number(),
  y: Type.Number(),
  available: Type.Boolean(),
  busy: Type.Boolean(),
  distance: NNum,
  positionAt: NStr,
});

/** A team's position: on the district map, or — from a phone's GPS — WGS-84 degrees (accuracy in metres). */
export const PositionBody = Type.Union([
  Type.Object({ x: Coord, y: Coord }, { additionalProperties: false }),
  Type.Object(
    {
      latitude: Type.Number({ minimum: -90, maximum: 90 }),
      longitude: Type.Number({ minimum: -180, maximum: 180 }),
      accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
    },
    { additionalProperties: false },
  ),
]);
export const AvailabilityBody = Type.Object({ available: Type.Boolean() }, { additionalProperties: false });

export const Contact = Type.Object(
  { name: SafeText(50, 1), phone: Type.String({ pattern: '^\\+?[0-9]{5,20}$' }) },
  { additionalProperties: false },
);
export const AlarmDeviceProfile = Type.Object(
  { location: Type.Optional(SafeText(200)), x: Type.Optional(Type.Union([Coord, Type.Null()])), y: Type.Optional(Type.Union([Coord, Type.Null()])), contacts: Type.Optional(Type.Array(Contact, { maxItems: 10 })) },
  { additionalProperties: false },
);
