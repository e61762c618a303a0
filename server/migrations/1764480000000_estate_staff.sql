-- Up Migration
-- Estate staff (物业/保障房管理员, issue 6): a user role bound to one site. The site is required
-- for `estate` and absent for every other role, so the row-level scoping of the gate routes
-- can never meet an estate account without a site, nor a city-wide account with one.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'operator', 'patrol', 'parent', 'estate'));
ALTER TABLE users ADD COLUMN site_id uuid REFERENCES sites(id) ON DELETE RESTRICT;
ALTER TABLE users ADD CONSTRAINT users_site_for_estate CHECK ((role = 'estate') = (site_id IS NOT NULL));
CREATE INDEX users_site_id_idx ON users (site_id) WHERE site_id IS NOT NULL;

-- Down Migration
DELETE FROM users WHERE role = 'estate';
DROP INDEX IF EXISTS users_site_id_idx;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_site_for_estate;
ALTER TABLE users DROP COLUMN IF EXISTS site_id;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'operator', 'patrol', 'parent'));
