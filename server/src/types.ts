// Fastify decorations shared by the plugins and routes.
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { AppConfig } from './config';
import type { Access, DeviceRole, UserRole } from './lib/roles';
import type { AuditLog } from './plugins/audit';
import type { HealthRegistry } from './plugins/health';
import type { LiveHub } from './live/hub';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  teamId: string | null;
  /** The one site an `estate` user works at; null for every other role. */
  siteId: string | null;
  phone: string | null;
  locale: 'zh-CN' | 'en';
}

export interface DevicePrincipal {
  id: string;
  kind: 'gate' | 'alarm';
  name: string;
  gateId: string | null;
  siteId: string | null;
}

export type Principal =
  | { kind: 'user'; role: UserRole; user: SessionUser; sessionId: string }
  | { kind: 'device'; role: DeviceRole; device: DevicePrincipal };

/** Every route as registered, for the authorization matrix and the docs. */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
  websocket: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
    config: AppConfig;
    db: Pool;
    redis: Redis;
    audit: AuditLog;
    health: HealthRegistry;
    live: LiveHub;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}
