-- Go-live on a distributor's own ERP: sign-in with mobile number and password for store users and agents (stores that
-- order from a PC, a first sign-in before WeChat binding, agents outside WeChat Work), where each store's warehouse came
-- from, and settings a person makes in the console (the default warehouse rule, the first import's completion).
ALTER TABLE customer_users ADD COLUMN password_hash TEXT NULL;
ALTER TABLE customer_users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer_users ADD COLUMN locked_until BIGINT NULL;
CREATE INDEX ix_customer_users_phone ON customer_users (phone);

ALTER TABLE agents ADD COLUMN password_hash TEXT NULL;
ALTER TABLE agents ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN locked_until BIGINT NULL;
CREATE INDEX ix_agents_phone ON agents (phone);

-- erp: the ERP names the store's warehouse (every sync follows it); manual: a person chose it (the sync keeps it);
-- default: the default rule chose it (the sync chooses again, so a store tied before the stock arrived is repaired).
ALTER TABLE customers ADD COLUMN warehouse_source TEXT NOT NULL DEFAULT 'default';

-- The ERP price list a store's own price came from (Tryton's sale price list, …): shown as 价目表 <name>, not 客户协议价.
ALTER TABLE customer_prices ADD COLUMN list_name TEXT NULL;

CREATE TABLE app_settings (
    setting_key TEXT PRIMARY KEY,
    setting_value TEXT NULL,
    updated_at BIGINT NOT NULL
);

-- A database upgraded with stores already in it has had its first import (or its demo data): the catalog stays open.
INSERT INTO app_settings (setting_key, setting_value, updated_at)
SELECT 'initial_import_completed_at', 'upgrade', 0 WHERE EXISTS (SELECT 1 FROM customers);
