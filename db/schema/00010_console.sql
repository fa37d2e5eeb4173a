-- +goose Up
-- The console's sign-in sessions (package console). The cookie holds a random
-- 256-bit session id; only its SHA-256 is stored. A session names the API token the
-- user signed in with (never the token itself): every page is rendered by calling
-- the REST API in process as that token, so revoking the token ends the session, and
-- deleting it deletes the session. csrf_token is the synchronizer token every form of
-- the session carries.
CREATE TABLE console_sessions (
    id_hash      bytea PRIMARY KEY CHECK (length(id_hash) = 32),
    account_id   uuid NOT NULL REFERENCES accounts (id),
    user_id      uuid NOT NULL,
    token_id     uuid NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL CHECK (length(csrf_token) >= 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id)
);
CREATE INDEX console_sessions_expires_idx ON console_sessions (expires_at);
CREATE INDEX console_sessions_token_idx ON console_sessions (token_id);

-- +goose Down
DROP TABLE console_sessions;
