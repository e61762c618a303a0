-- Up Migration
-- The whole data model from empty. Later capabilities add their own migrations.

CREATE TABLE sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('street', 'estate', 'school', 'district')),
  address text NOT NULL DEFAULT '',
  timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  x double precision NOT NULL DEFAULT 0,
  y double precision NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  site_id uuid REFERENCES sites(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('city_management', 'community_patrol', 'estate_security')),
  x double precision NOT NULL DEFAULT 0,
  y double precision NOT NULL DEFAULT 0,
  available boolean NOT NULL DEFAULT true,
  position_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'patrol', 'parent')),
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  phone text,
  locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE phone IS NOT NULL;

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE media_nodes (
  id text PRIMARY KEY,
  address text NOT NULL,
  capacity integer NOT NULL DEFAULT 0,
  load integer NOT NULL DEFAULT 0,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cameras (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid REFERENCES sites(id) ON DELETE SET NULL,
  name text NOT NULL,
  location text NOT NULL DEFAULT '',
  area text NOT NULL DEFAULT '',
  x double precision NOT NULL DEFAULT 0,
  y double precision NOT NULL DEFAULT 0,
  onvif_url text,
  rtsp_main text,
  rtsp_sub text,
  username text,
  password_enc bytea,
  ptz boolean NOT NULL DEFAULT false,
  kind text NOT NULL DEFAULT 'onvif' CHECK (kind IN ('onvif', 'rtsp', 'rtmp')),
  status text NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'online', 'offline', 'auth_failed', 'unsupported')),
  last_error text,
  last_seen_at timestamptz,
  media_node_id text REFERENCES media_nodes(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cameras_site_idx ON cameras (site_id);

CREATE TABLE zones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'stall',
  polygon jsonb NOT NULL,
  dwell_seconds integer NOT NULL CHECK (dwell_seconds > 0),
  grace_seconds integer NOT NULL DEFAULT 10 CHECK (grace_seconds >= 0),
  active_hours jsonb,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Analytics events (stall, watch-list plate, ...). dedup_key makes a repeated publish a no-op.
CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type text NOT NULL,
  camera_id uuid REFERENCES cameras(id) ON DELETE SET NULL,
  zone_id uuid REFERENCES zones(id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  box jsonb,
  snapshot_path text,
  data jsonb NOT NULL DEFAULT '{}',
  dedup_key text NOT NULL UNIQUE,
  false_alarm boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_camera_idx ON events (camera_id, started_at DESC);

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigserial UNIQUE,
  type text NOT NULL,
  priority smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
  status text NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'dispatched', 'acknowledged', 'on_scene', 'resolved', 'closed', 'cancelled')),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  site_id uuid REFERENCES sites(id) ON DELETE SET NULL,
  camera_id uuid REFERENCES cameras(id) ON DELETE SET NULL,
  event_id uuid REFERENCES events(id) ON DELETE SET NULL,
  x double precision,
  y double precision,
  source text NOT NULL,
  dedup_key text UNIQUE,
  snapshot_path text,
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz,
  acknowledged_at timestamptz,
  on_scene_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz
);
CREATE INDEX incidents_status_idx ON incidents (status, created_at DESC);
CREATE INDEX incidents_team_idx ON incidents (team_id);

-- Append-only: the application never updates or deletes rows here.
CREATE TABLE incident_events (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  actor_kind text NOT NULL,
  action text NOT NULL,
  from_status text,
  to_status text,
  data jsonb NOT NULL DEFAULT '{}',
  address text
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, id);

CREATE TABLE dispatches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  team_id uuid NOT NULL REFERENCES teams(id),
  attempt integer NOT NULL DEFAULT 1,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acknowledged', 'escalated', 'cancelled')),
  dispatched_by uuid REFERENCES users(id) ON DELETE SET NULL,
  dispatched_at timestamptz NOT NULL DEFAULT now(),
  ack_deadline_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  escalated_at timestamptz
);
CREATE INDEX dispatches_incident_idx ON dispatches (incident_id);

CREATE TABLE households (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  unit text NOT NULL,
  head_name text NOT NULL,
  phone text,
  affordable boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (site_id, unit)
);

CREATE TABLE vehicles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households(id) ON DELETE CASCADE,
  plate text NOT NULL UNIQUE,
  plate_type text NOT NULL CHECK (plate_type IN ('blue', 'yellow', 'green', 'white', 'black')),
  brand text NOT NULL DEFAULT '',
  model text NOT NULL DEFAULT '',
  vehicle_class text NOT NULL DEFAULT 'ordinary',
  declared_value integer NOT NULL DEFAULT 0 CHECK (declared_value >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Eligibility line per estate for the affordable-housing check.
CREATE TABLE estate_rules (
  site_id uuid PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  max_vehicle_value integer NOT NULL DEFAULT 200000,
  flagged_classes text[] NOT NULL DEFAULT '{luxury}'
);

CREATE TABLE visitor_passes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  household_id uuid REFERENCES households(id) ON DELETE CASCADE,
  plate text NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz NOT NULL,
  multi_entry boolean NOT NULL DEFAULT false,
  entries integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to > valid_from)
);
CREATE INDEX visitor_passes_plate_idx ON visitor_passes (plate);

CREATE TABLE watchlist (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plate text NOT NULL UNIQUE,
  reason text NOT NULL,
  severity text NOT NULL DEFAULT 'high' CHECK (severity IN ('low', 'medium', 'high')),
  active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  name text NOT NULL,
  camera_id uuid REFERENCES cameras(id) ON DELETE SET NULL,
  direction text NOT NULL DEFAULT 'in' CHECK (direction IN ('in', 'out')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Per-device API keys (gate barriers). Only a hash is stored; the prefix identifies the key in lists.
CREATE TABLE devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('gate', 'alarm')),
  name text NOT NULL,
  gate_id uuid REFERENCES gates(id) ON DELETE CASCADE,
  site_id uuid REFERENCES sites(id) ON DELETE SET NULL,
  key_prefix text NOT NULL,
  key_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE gate_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  gate_id uuid NOT NULL REFERENCES gates(id) ON DELETE CASCADE,
  device_id uuid REFERENCES devices(id) ON DELETE SET NULL,
  idempotency_key text,
  plate text,
  plate_confidence real,
  decision text NOT NULL CHECK (decision IN ('allow', 'deny', 'review')),
  reason text NOT NULL,
  rule text NOT NULL,
  vehicle_id uuid REFERENCES vehicles(id) ON DELETE SET NULL,
  pass_id uuid REFERENCES visitor_passes(id) ON DELETE SET NULL,
  image_path text,
  reviewed_by uuid REFERENCES users(id) ON DELETE SET NULL,
  reviewed_at timestamptz,
  review_decision text CHECK (review_decision IN ('allow', 'deny')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (device_id, idempotency_key)
);
CREATE INDEX gate_decisions_gate_idx ON gate_decisions (gate_id, created_at DESC);
CREATE INDEX gate_decisions_plate_idx ON gate_decisions (plate);

CREATE TABLE classrooms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE classroom_cameras (
  classroom_id uuid NOT NULL REFERENCES classrooms(id) ON DELETE CASCADE,
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  PRIMARY KEY (classroom_id, camera_id)
);

-- Weekly opening hours in the site's time zone; exceptions override one date.
CREATE TABLE classroom_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  classroom_id uuid NOT NULL REFERENCES classrooms(id) ON DELETE CASCADE,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  opens time NOT NULL,
  closes time NOT NULL,
  CHECK (closes > opens)
);

CREATE TABLE schedule_exceptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  classroom_id uuid NOT NULL REFERENCES classrooms(id) ON DELETE CASCADE,
  day date NOT NULL,
  closed boolean NOT NULL DEFAULT true,
  opens time,
  closes time,
  note text NOT NULL DEFAULT '',
  UNIQUE (classroom_id, day)
);

CREATE TABLE enrolments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  classroom_id uuid NOT NULL REFERENCES classrooms(id) ON DELETE CASCADE,
  child_name text NOT NULL,
  valid_from date NOT NULL,
  valid_to date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to >= valid_from)
);

CREATE TABLE parent_grants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  enrolment_id uuid NOT NULL REFERENCES enrolments(id) ON DELETE CASCADE,
  invite_code_hash bytea UNIQUE,
  valid_from date NOT NULL,
  valid_to date NOT NULL,
  revoked_at timestamptz,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_role text,
  action text NOT NULL,
  target_type text,
  target_id text,
  outcome text NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok', 'denied', 'error')),
  ip text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at DESC);

-- Down Migration
DROP TABLE IF EXISTS audit_log, parent_grants, enrolments, schedule_exceptions, classroom_schedules,
  classroom_cameras, classrooms, gate_decisions, devices, gates, watchlist, visitor_passes, estate_rules,
  vehicles, households, dispatches, incident_events, incidents, events, zones, cameras, media_nodes,
  sessions, users, teams, sites CASCADE;
