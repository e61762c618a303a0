-- Up Migration
-- Incidents and dispatch: alarm intake, SOS contacts, notifications outbox, photos, and the
-- database-level guarantees behind "merged once" and "escalated once".

-- Where an alarm terminal sits (alarms may also carry their own location).
ALTER TABLE devices
  ADD COLUMN location text NOT NULL DEFAULT '',
  ADD COLUMN x double precision,
  ADD COLUMN y double precision;

-- A resident's preset contacts, called when their SOS terminal fires.
CREATE TABLE device_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  name text NOT NULL,
  phone text NOT NULL,
  position smallint NOT NULL DEFAULT 0,
  UNIQUE (device_id, phone)
);

-- Duplicate deliveries of the same alarm (MQTT redelivery, terminal retries) are merged into the
-- incident and counted here rather than creating a second incident.
ALTER TABLE incidents
  ADD COLUMN duplicates integer NOT NULL DEFAULT 0,
  ADD COLUMN location text NOT NULL DEFAULT '',
  ADD COLUMN device_id uuid REFERENCES devices(id) ON DELETE SET NULL,
  ADD COLUMN occurred_at timestamptz;
CREATE INDEX incidents_open_team_idx ON incidents (team_id) WHERE status IN ('dispatched', 'acknowledged', 'on_scene');

-- An escalation of a dispatch is recorded once, whatever retries or restarts happen.
CREATE UNIQUE INDEX incident_events_escalated_once ON incident_events ((data->>'dispatchId')) WHERE action = 'escalated';
-- At most one pending dispatch per incident.
CREATE UNIQUE INDEX dispatches_one_pending ON dispatches (incident_id) WHERE status = 'pending';
CREATE INDEX dispatches_pending_idx ON dispatches (ack_deadline_at) WHERE status = 'pending';

-- Rejected alarms (malformed, unknown device, stale) for the operators' log.
CREATE TABLE alarm_rejections (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  channel text NOT NULL CHECK (channel IN ('mqtt', 'http')),
  topic text,
  device_id text,
  reason text NOT NULL,
  payload text NOT NULL DEFAULT ''
);

-- Outbox of messages to people outside the system (SOS contacts). A row is written in the same
-- transaction as the incident; a job sends it and marks it sent.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  channel text NOT NULL DEFAULT 'sms',
  recipient_name text NOT NULL,
  recipient_phone text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  provider_ref text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (incident_id, recipient_phone)
);
CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status = 'pending';

CREATE TABLE incident_photos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('snapshot', 'scene', 'resolution')),
  path text NOT NULL,
  mime text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
  bytes integer NOT NULL,
  uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_photos_incident_idx ON incident_photos (incident_id, created_at);

-- Down Migration
DROP TABLE IF EXISTS incident_photos, notifications, alarm_rejections, device_contacts;
DROP INDEX IF EXISTS dispatches_pending_idx, dispatches_one_pending, incident_events_escalated_once, incidents_open_team_idx;
ALTER TABLE incidents DROP COLUMN IF EXISTS duplicates, DROP COLUMN IF EXISTS location, DROP COLUMN IF EXISTS device_id, DROP COLUMN IF EXISTS occurred_at;
ALTER TABLE devices DROP COLUMN IF EXISTS location, DROP COLUMN IF EXISTS x, DROP COLUMN IF EXISTS y;
