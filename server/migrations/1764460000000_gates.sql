-- Up Migration
-- Gate decisions: near-miss lookup keys, what was read, the image, and idempotent device retries.

-- OCR-confusion key (analytics/src/plates/grammar.ts `confusionKey`): plates that differ only by
-- confusable characters (0/D/Q/U, 8/B, 2/Z, 1/I/T/7, 5/S, 6/G/C, 4/A) share a key. The two
-- translate() strings are CONFUSION_FROM / CONFUSION_TO there; a unit test keeps them equal.
ALTER TABLE vehicles ADD COLUMN confusion_key text
  GENERATED ALWAYS AS (translate(plate, 'DQUOBZIT7SGCA', '0000821115664')) STORED;
CREATE INDEX vehicles_confusion_idx ON vehicles (confusion_key);
ALTER TABLE visitor_passes ADD COLUMN confusion_key text
  GENERATED ALWAYS AS (translate(plate, 'DQUOBZIT7SGCA', '0000821115664')) STORED;
CREATE INDEX visitor_passes_confusion_idx ON visitor_passes (confusion_key);
ALTER TABLE watchlist ADD COLUMN confusion_key text
  GENERATED ALWAYS AS (translate(plate, 'DQUOBZIT7SGCA', '0000821115664')) STORED;
CREATE INDEX watchlist_confusion_idx ON watchlist (confusion_key);

-- How the plate reached us, what the reader saw, and which near-miss / flag led to the decision.
ALTER TABLE gate_decisions ADD COLUMN source text NOT NULL DEFAULT 'text' CHECK (source IN ('text', 'image'));
ALTER TABLE gate_decisions ADD COLUMN plate_type text;
ALTER TABLE gate_decisions ADD COLUMN details jsonb NOT NULL DEFAULT '{}';
CREATE INDEX gate_decisions_created_idx ON gate_decisions (created_at DESC);
CREATE INDEX gate_decisions_review_idx ON gate_decisions (gate_id, created_at DESC) WHERE decision = 'review' AND reviewed_at IS NULL;

-- The barrier camera's JPEG, kept with its decision (written in the same transaction).
CREATE TABLE gate_decision_images (
  decision_id uuid PRIMARY KEY REFERENCES gate_decisions(id) ON DELETE CASCADE,
  jpeg bytea NOT NULL
);

-- Down Migration
DROP TABLE IF EXISTS gate_decision_images;
DROP INDEX IF EXISTS gate_decisions_review_idx;
DROP INDEX IF EXISTS gate_decisions_created_idx;
ALTER TABLE gate_decisions DROP COLUMN IF EXISTS details, DROP COLUMN IF EXISTS plate_type, DROP COLUMN IF EXISTS source;
ALTER TABLE watchlist DROP COLUMN IF EXISTS confusion_key;
ALTER TABLE visitor_passes DROP COLUMN IF EXISTS confusion_key;
ALTER TABLE vehicles DROP COLUMN IF EXISTS confusion_key;
