-- An agent shares a product or a promotion; an order placed from that link is attributed to the agent.
CREATE TABLE share_links (
    code TEXT PRIMARY KEY,
    agent_id BIGINT NOT NULL REFERENCES agents(id),
    product_id BIGINT NULL REFERENCES products(id),
    promotion_id BIGINT NULL REFERENCES promotions(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX ix_share_links_agent ON share_links (agent_id);
