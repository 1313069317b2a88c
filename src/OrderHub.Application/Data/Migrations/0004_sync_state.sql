-- ERP bridge state: one row per pull feed (cursor and health), the data problems the sync met, and leases on outbox rows.

-- One row per feed (products, stock, prices, customers, payments, order_status).
-- feed_cursor: the adapter's opaque cursor to continue from (NULL = from the start, i.e. a full resync).
-- lease_until: a run holds the feed until then, so two nodes never pull the same feed at once; a crashed run's lease expires.
-- newest_change_at: the newest ChangedAt seen; lag = now - newest_change_at.
CREATE TABLE sync_feeds (
    feed TEXT PRIMARY KEY,
    feed_cursor TEXT NULL,
    lease_until BIGINT NULL,
    last_started_at BIGINT NULL,
    last_finished_at BIGINT NULL,
    last_succeeded_at BIGINT NULL,
    last_rows_changed BIGINT NOT NULL DEFAULT 0,
    newest_change_at BIGINT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NULL,
    last_error_at BIGINT NULL
);

-- Rows the ERP sent that OrderHub could not take as they were (unknown product, foreign currency, negative stock…),
-- and outbox messages that need a person. row_skipped: left out (TRUE) or taken after a correction (FALSE).
CREATE TABLE sync_issues (
    id {id},
    feed TEXT NOT NULL,
    item_key TEXT NULL,
    problem TEXT NOT NULL,
    row_skipped BOOLEAN NOT NULL,
    occurred_at BIGINT NOT NULL
);
CREATE INDEX ix_sync_issues_feed ON sync_issues (feed, id);

-- Outbox rows being sent: status 'sending' with a lease; a sender that crashed leaves the row to be claimed again after it.
ALTER TABLE outbox ADD COLUMN lease_until BIGINT NULL;
