-- Up Migration
-- The affordable-housing line of an estate is edited in the product (PUT /api/sites/:id/estate-rules,
-- admin only); the flagged-households page shows who set it and when. The range matches the API's.
ALTER TABLE estate_rules ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE estate_rules ADD COLUMN IF NOT EXISTS updated_by uuid REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE estate_rules ADD CONSTRAINT estate_rules_value_range CHECK (max_vehicle_value BETWEEN 0 AND 100000000);

-- Down Migration
ALTER TABLE estate_rules DROP CONSTRAINT IF EXISTS estate_rules_value_range;
ALTER TABLE estate_rules DROP COLUMN IF EXISTS updated_by;
ALTER TABLE estate_rules DROP COLUMN IF EXISTS updated_at;
