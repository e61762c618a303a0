// Every route group of the API. Add a line here for a new group (one plugin per concern).
import type { FastifyPluginAsync } from 'fastify';
import auditRoutes from './audit';
import authRoutes from './auth';
import cameraRoutes from './cameras';
import deviceRoutes from './devices';
import healthRoutes from './health';
import siteRoutes from './sites';
import teamRoutes from './teams';
import userRoutes from './users';

export const routePlugins: FastifyPluginAsync[] = [
  healthRoutes,
  authRoutes,
  userRoutes,
  siteRoutes,
  teamRoutes,
  cameraRoutes,
  deviceRoutes,
  auditRoutes,
];
