-- Up Migration
-- Watch-list lookups by serial (the confusion key after the province character): the province is the
-- character a camera reads worst, so an unsure reading whose serial matches a watched plate from
-- another province is shown to the operators (server/src/gates/rules.ts, watchlist-near-miss).
CREATE INDEX IF NOT EXISTS watchlist_serial_key_idx ON watchlist ((substr(confusion_key, 2))) WHERE active;

-- Down Migration
DROP INDEX IF EXISTS watchlist_serial_key_idx;
