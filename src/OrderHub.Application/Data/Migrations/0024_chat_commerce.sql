-- Chat commerce (issue #20): 联系我 QR codes, WeChat Work callbacks (replay memory, one row per event), welcome
-- messages, and mini-program cards an agent sends in a chat (a share code per send) with their opens and orders.

-- An agent's 联系我 QR (externalcontact/add_contact_way); state names the agent, and the store for a store's own QR.
CREATE TABLE wecom_contact_ways (
    id {id},
    agent_id BIGINT NOT NULL REFERENCES agents(id),
    customer_id BIGINT NULL REFERENCES customers(id),
    state TEXT NOT NULL UNIQUE,              -- "oh:a<agent>" or "oh:a<agent>:s<store>" (≤ 30 characters)
    config_id TEXT NOT NULL,
    qr_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_wecom_contact_ways_agent ON wecom_contact_ways (agent_id, customer_id);

-- Nonces of accepted callbacks inside the timestamp window: the same signed request twice is a replay.
CREATE TABLE wecom_callback_nonces (
    nonce TEXT NOT NULL,
    sent_at BIGINT NOT NULL,                 -- the request's timestamp, Unix seconds
    received_at BIGINT NOT NULL,
    PRIMARY KEY (nonce, sent_at)
);

-- One row per change_external_contact event (WeChat Work retries; an event is handled once).
CREATE TABLE wecom_contact_events (
    event_key TEXT PRIMARY KEY,              -- ChangeType:UserID:ExternalUserID:CreateTime
    change_type TEXT NOT NULL,
    wecom_userid TEXT NOT NULL,
    external_user_id TEXT NOT NULL,
    state TEXT NULL,
    agent_id BIGINT NULL REFERENCES agents(id),
    customer_id BIGINT NULL REFERENCES customers(id),
    outcome TEXT NOT NULL,                   -- linked | agent_only | unknown_state | ignored
    welcome_status TEXT NULL,                -- sent | failed | none
    welcome_error TEXT NULL,
    received_at BIGINT NOT NULL
);

-- Which welcome text an agent's stores get (WeCom:Chat:WelcomeByGroup); null: the default.
ALTER TABLE agents ADD COLUMN chat_group TEXT NULL;

-- A mini-program card an agent sent in a chat (or the welcome message): its own share code, opens, the order it won.
CREATE TABLE chat_cards (
    code TEXT PRIMARY KEY REFERENCES share_links(code),
    agent_id BIGINT NOT NULL REFERENCES agents(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,                      -- product | promotion | usual_order | order_status | welcome
    subject TEXT NULL,                       -- the sku, promotion id or order number the card shows
    sent_at BIGINT NOT NULL,
    first_opened_at BIGINT NULL,
    opens INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_chat_cards_agent ON chat_cards (agent_id, sent_at);
CREATE INDEX ix_chat_cards_customer ON chat_cards (customer_id, sent_at);

-- A card's share code may be for one store only and for its whole catalog (usual order, welcome).
ALTER TABLE share_links ADD COLUMN customer_id BIGINT NULL REFERENCES customers(id);
-- The share code an item came in with, and the one an order was won by.
ALTER TABLE cart_items ADD COLUMN share_code TEXT NULL;
ALTER TABLE orders ADD COLUMN share_code TEXT NULL;
CREATE INDEX ix_orders_share_code ON orders (share_code);
