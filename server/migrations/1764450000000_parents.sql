-- Up Migration
-- Parents watching the after-school classroom: invitation expiry, password-reset codes, the view log.

ALTER TABLE classrooms ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- An invitation code works once, until it expires; redeeming it sets parent_user_id.
ALTER TABLE parent_grants ADD COLUMN invite_expires_at timestamptz;
ALTER TABLE parent_grants ADD COLUMN redeemed_at timestamptz;
CREATE INDEX parent_grants_parent_idx ON parent_grants (parent_user_id);
CREATE INDEX parent_grants_enrolment_idx ON parent_grants (enrolment_id);

-- A staff-issued one-time code with which a parent sets a new password.
CREATE TABLE parent_reset_codes (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  code_hash bytea NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per view of a stream: who, which stream, from when to when, from which address.
-- Kept for the configured retention, then purged.
CREATE TABLE stream_views (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  user_role text NOT NULL,
  session_id uuid,
  grant_id uuid REFERENCES parent_grants(id) ON DELETE SET NULL,
  classroom_id uuid REFERENCES classrooms(id) ON DELETE SET NULL,
  stream_id text NOT NULL,
  started_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  ended_at timestamptz,
  end_reason text CHECK (end_reason IN ('stopped', 'idle', 'closed', 'grant_expired', 'revoked', 'session_ended')),
  ip text,
  user_agent text
);
CREATE INDEX stream_views_open_idx ON stream_views (user_id) WHERE ended_at IS NULL;
CREATE INDEX stream_views_started_idx ON stream_views (started_at DESC);
CREATE INDEX stream_views_classroom_idx ON stream_views (classroom_id, started_at DESC);

-- Down Migration
DROP TABLE IF EXISTS stream_views, parent_reset_codes;
DROP INDEX IF EXISTS parent_grants_parent_idx, parent_grants_enrolment_idx;
ALTER TABLE parent_grants DROP COLUMN IF EXISTS invite_expires_at, DROP COLUMN IF EXISTS redeemed_at;
ALTER TABLE classrooms DROP COLUMN IF EXISTS updated_at;
