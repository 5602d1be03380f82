-- Webhook subscriptions and their delivery outbox. They live in a schema of their own (like quartz) so that public
-- stays exactly what EF maps; the web host reads and writes them with plain SQL (SlmOps.Web/Webhooks).
--
-- A delivery row is written in the same transaction as the alias change it reports, so a change and its
-- notifications commit or vanish together; a background dispatcher POSTs due rows and records each attempt.

CREATE SCHEMA webhooks;

CREATE TABLE webhooks.subscriptions (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url        text        NOT NULL CHECK (url ~ '^https?://'),
    -- The HMAC-SHA256 key for X-SlmOps-Signature. Kept in clear because signing needs it; shown to the API once.
    secret     text        NOT NULL CHECK (length(secret) >= 16),
    events     text[]      NOT NULL CHECK (cardinality(events) >= 1),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhooks.deliveries (
    id               uuid        PRIMARY KEY,
    subscription_id  bigint      NOT NULL REFERENCES webhooks.subscriptions (id) ON DELETE CASCADE,
    event            text        NOT NULL,
    -- The JSON body sent, byte for byte (payload::text), deliveryId included.
    payload          jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_status_code integer,
    last_error       text,
    -- When the dispatcher may (re)try; also pushed forward while an attempt is in flight (a lease).
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);

CREATE INDEX deliveries_due_idx ON webhooks.deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_subscription_idx ON webhooks.deliveries (subscription_id, created_at DESC);
