-- Sign-in sessions (issue #21): every token carries its session id; a session ends when the user's password changes,
-- the user is disabled, or a refresh token is used a second time (rotation: each refresh token is good once, and a
-- reused one ends the whole session, the "family" of tokens it came from). Checked on every authenticated request.
CREATE TABLE auth_sessions (
    id TEXT NOT NULL PRIMARY KEY,         -- random; the token's "sid" claim
    user_kind TEXT NOT NULL,              -- customer | agent | staff
    user_id BIGINT NOT NULL,
    refresh_seq BIGINT NOT NULL DEFAULT 0, -- the sequence number the next refresh token must carry
    created_at BIGINT NOT NULL,
    refreshed_at BIGINT NULL,
    revoked_at BIGINT NULL,
    revoked_reason TEXT NULL              -- password_changed | disabled | refresh_reused | signed_out
);
CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_kind, user_id);
