-- WeChat: binding codes (an agent binds a store's WeChat users), subscribe-message acceptances and deliveries,
-- WeChat Work (WeCom) external contacts linked to stores, and agent hand-overs (离职转移) with per-contact results.

-- A code an agent makes for one of its stores; the retailer scans it (scene "b=<code>") and becomes a user of the store.
CREATE TABLE wechat_binding_codes (
    id {id},
    code TEXT NOT NULL UNIQUE,               -- random, URL-safe; also the mini-program code's scene after "b="
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    agent_id BIGINT NOT NULL REFERENCES agents(id),
    single_use BOOLEAN NOT NULL,
    use_count INTEGER NOT NULL DEFAULT 0,
    last_used_at BIGINT NULL,
    last_user_id BIGINT NULL REFERENCES customer_users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ix_wechat_binding_codes_customer ON wechat_binding_codes (customer_id, created_at);

-- WeChat one-time subscriptions: every "allow" in wx.requestSubscribeMessage permits one message of that template.
CREATE TABLE wechat_subscriptions (
    user_kind TEXT NOT NULL,                 -- customer_user
    user_id BIGINT NOT NULL,
    template_key TEXT NOT NULL,              -- settings key, e.g. OrderShipped
    remaining INTEGER NOT NULL DEFAULT 0,    -- messages still allowed
    accepted_total INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_kind, user_id, template_key)
);

-- Delivery of a notification as a subscribe message. One row per notification, created by the dispatcher.
CREATE TABLE wechat_deliveries (
    notification_id BIGINT PRIMARY KEY REFERENCES notifications(id),
    status TEXT NOT NULL,                    -- pending | sent | skipped | failed
    template_key TEXT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NULL,
    errcode INTEGER NULL,
    msg_id TEXT NULL,
    params TEXT NULL,                        -- extra placeholders as JSON (e.g. a statement's period)
    created_at BIGINT NOT NULL,
    sent_at BIGINT NULL
);
CREATE INDEX ix_wechat_deliveries_due ON wechat_deliveries (status, next_attempt_at);
CREATE INDEX ix_notifications_created ON notifications (created_at);

-- A WeChat Work external contact (the store owner in an agent's WeCom) linked to an OrderHub store.
CREATE TABLE wecom_contact_links (
    external_user_id TEXT PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    linked_by BIGINT NULL,                   -- staff id
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_wecom_contact_links_customer ON wecom_contact_links (customer_id);

-- 离职转移: one back-office action moves a leaving agent's stores and proxy carts to another agent.
CREATE TABLE agent_hand_overs (
    id {id},
    from_agent_id BIGINT NOT NULL REFERENCES agents(id),
    to_agent_id BIGINT NOT NULL REFERENCES agents(id),
    from_wecom_userid TEXT NULL,
    to_wecom_userid TEXT NULL,
    customers_moved INTEGER NOT NULL,
    cart_lines_moved INTEGER NOT NULL,
    created_by BIGINT NULL,                  -- staff id
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_agent_hand_overs_from ON agent_hand_overs (from_agent_id);

-- Per external contact: the WeCom transfer (resigned/transfer_customer) and its follow-up (transfer_result).
CREATE TABLE agent_hand_over_contacts (
    hand_over_id BIGINT NOT NULL REFERENCES agent_hand_overs(id),
    external_user_id TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL,                    -- pending | waiting | completed | refused | failed
    errcode INTEGER NULL,
    takeover_at BIGINT NULL,                 -- WeCom's (expected) takeover time
    attempts INTEGER NOT NULL DEFAULT 0,
    next_check_at BIGINT NULL,
    last_error TEXT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (hand_over_id, external_user_id)
);
CREATE INDEX ix_agent_hand_over_contacts_due ON agent_hand_over_contacts (status, next_check_at);
