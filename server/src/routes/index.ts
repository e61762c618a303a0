// Every route group of the API. Add a line here for a new group (one plugin per concern).
import type { FastifyPluginAsync } from 'fastify';
import auditRoutes from './audit';
import authRoutes from './auth';
import cameraRoutes from './cameras';
import deviceRoutes from './devices';
import healthRoutes from './health';
import { parentsPlugin } from '../parents';
import classroomRoutes from './classrooms';
import parentRoutes from './parents';
import streamTokenRoutes from './stream-tokens';
import { incidentsPlugin } from '../incidents/plugin';
import alarmRoutes from './alarms';
import incidentRoutes from './incidents';
import patrolRoutes from './patrol';
import siteRoutes from './sites';
import teamRoutes from './teams';
import userRoutes from './users';
import gateRoutes from './gates';
import { gatesPlugin } from '../analytics/gates';
import { streamsPlugin } from '../streams/plugin';
import cameraSnapshotRoutes from '../streams/snapshot-route';
import onvifRoutes from './onvif';
import { cameraHealthPlugin } from '../onvif/health-poller';
import { stallsPlugin } from '../analytics/stalls';
import zoneRoutes from './zones';

export const routePlugins: FastifyPluginAsync[] = [
  healthRoutes,
  authRoutes,
  userRoutes,
  siteRoutes,
  teamRoutes,
  cameraRoutes,
  deviceRoutes,
  auditRoutes,
  parentsPlugin, classroomRoutes, parentRoutes, streamTokenRoutes,
  incidentsPlugin, incidentRoutes, alarmRoutes, patrolRoutes,
  streamsPlugin,
  cameraSnapshotRoutes,
  onvifRoutes,
  cameraHealthPlugin,
  stallsPlugin,
  gatesPlugin, gateRoutes,
  zoneRoutes,
];
