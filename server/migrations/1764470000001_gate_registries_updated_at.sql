-- Up Migration
-- The shared CRUD PATCH (server/src/lib/sql.ts updatePartial) stamps updated_at; the gate
-- registries lacked it, so every edit of a gate, household, vehicle, pass or watch-list entry failed.
ALTER TABLE gates ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE households ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE vehicles ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE visitor_passes ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE watchlist ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();

-- Down Migration
ALTER TABLE watchlist DROP COLUMN IF EXISTS updated_at;
ALTER TABLE visitor_passes DROP COLUMN IF EXISTS updated_at;
ALTER TABLE vehicles DROP COLUMN IF EXISTS updated_at;
ALTER TABLE households DROP COLUMN IF EXISTS updated_at;
ALTER TABLE gates DROP COLUMN IF EXISTS updated_at;
