-- Up Migration
-- Continuous mode: decisions made from our own read of the gate camera (source 'camera').
ALTER TABLE gate_decisions DROP CONSTRAINT IF EXISTS gate_decisions_source_check;
ALTER TABLE gate_decisions ADD CONSTRAINT gate_decisions_source_check CHECK (source IN ('text', 'image', 'camera'));

-- Down Migration
DELETE FROM gate_decisions WHERE source = 'camera';
ALTER TABLE gate_decisions DROP CONSTRAINT IF EXISTS gate_decisions_source_check;
ALTER TABLE gate_decisions ADD CONSTRAINT gate_decisions_source_check CHECK (source IN ('text', 'image'));
