-- Issue #20, second part: messages to many stores through the agents' WeChat Work (企业群发, add_msg_template) with each
-- store's outcome, and the distributor community (经销商社区): announcements and materials the office publishes and
-- stores read.

-- A message to many stores, prepared by the office or an agent (for its own stores).
CREATE TABLE chat_mass_messages (
    id {id},
    created_by_kind TEXT NOT NULL,           -- staff | agent
    created_by_id BIGINT NOT NULL,
    agent_id BIGINT NULL REFERENCES agents(id), -- an agent's own message: only its stores; null for the office's
    text TEXT NULL,
    card_kind TEXT NULL,                     -- catalog | product | promotion | community_post (null: text only)
    card_subject TEXT NULL,                  -- the sku, promotion id or post id
    selection TEXT NOT NULL,                 -- the selection as sent (JSON), to show what was asked for
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_chat_mass_messages_agent ON chat_mass_messages (agent_id, id);

-- One add_msg_template per sending agent (sender = its WeChat Work userid); the result job reads it back.
CREATE TABLE chat_mass_message_tasks (
    id {id},
    message_id BIGINT NOT NULL REFERENCES chat_mass_messages(id),
    agent_id BIGINT NOT NULL REFERENCES agents(id),
    sender TEXT NOT NULL,
    share_code TEXT NULL REFERENCES share_links(code), -- the card's share code (orders from it count for this agent)
    msgid TEXT NULL,
    status TEXT NOT NULL,                    -- pending | created | failed | done
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT NULL,
    next_check_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    checked_at BIGINT NULL
);
CREATE INDEX ix_chat_mass_message_tasks_due ON chat_mass_message_tasks (status, next_check_at);
CREATE INDEX ix_chat_mass_message_tasks_message ON chat_mass_message_tasks (message_id);

-- Each selected store's outcome, one row per bound external contact ('' for a store held back before WeChat Work).
CREATE TABLE chat_mass_message_targets (
    message_id BIGINT NOT NULL REFERENCES chat_mass_messages(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    external_user_id TEXT NOT NULL,
    task_id BIGINT NULL REFERENCES chat_mass_message_tasks(id),
    status TEXT NOT NULL,                    -- held | pending | rejected | waiting | sent | not_friend | already_received
    reason TEXT NULL,
    sent_at BIGINT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, customer_id, external_user_id)
);
CREATE INDEX ix_chat_mass_message_targets_store ON chat_mass_message_targets (customer_id, created_at);

-- 经销商社区: what the office publishes for its stores. A post is a draft until published; unpublishing hides it again.
CREATE TABLE community_posts (
    id {id},
    kind TEXT NOT NULL,                      -- announcement | material | new_product
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    video_url TEXT NULL,                     -- an https link (视频号, Tencent Video …), not an upload
    image_ids TEXT NOT NULL DEFAULT '[]',    -- media ids (JSON array), uploaded through /api/admin/media/images
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    published_at BIGINT NULL,
    created_by BIGINT NULL,                  -- staff id
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_community_posts_published ON community_posts (published_at);

-- A new-product sheet's products.
CREATE TABLE community_post_products (
    post_id BIGINT NOT NULL REFERENCES community_posts(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (post_id, product_id)
);

-- PDFs attached to posts (checked by magic bytes and size), stored in the media folder under a server-chosen name.
CREATE TABLE community_files (
    id {id},
    post_id BIGINT NULL REFERENCES community_posts(id),
    file_name TEXT NOT NULL UNIQUE,          -- <32 hex>.pdf
    original_name TEXT NOT NULL,
    content_type TEXT NOT NULL,              -- application/pdf
    size_bytes BIGINT NOT NULL,
    created_by BIGINT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_community_files_post ON community_files (post_id);

-- Which store read which post, how often, first and last time.
CREATE TABLE community_reads (
    post_id BIGINT NOT NULL REFERENCES community_posts(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    reads INTEGER NOT NULL,
    first_read_at BIGINT NOT NULL,
    last_read_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, customer_id)
);
