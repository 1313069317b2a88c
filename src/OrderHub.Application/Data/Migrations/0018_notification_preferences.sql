-- Notifications a store user controls (issue #17): which kinds are pushed to WeChat (muted = not pushed; the message
-- still appears in the 消息 list), and a fast unread count.
CREATE TABLE notification_preferences (
    customer_user_id BIGINT NOT NULL REFERENCES customer_users(id),
    kind TEXT NOT NULL,
    muted BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (customer_user_id, kind)
);
CREATE INDEX ix_notifications_unread ON notifications (customer_user_id, read_at);
