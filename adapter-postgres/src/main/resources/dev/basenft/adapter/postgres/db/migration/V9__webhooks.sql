-- Webhooks (docs/architecture.md#webhooks): the registrations, the outbox of events, one delivery per (event, webhook) and
-- the delivery log. Events are inserted by the same transaction as the change that causes them (a campaign moved to
-- COMPLETED or FAILED, a batch moved to FAILED), so a crash keeps both or neither. The deliveries are a due-time queue:
-- claimed with FOR UPDATE SKIP LOCKED and a lease, so any number of workers deliver and a dead one's claim lapses.
CREATE TABLE webhooks (
    id          uuid        NOT NULL,
    owner_fid   bigint      NOT NULL CONSTRAINT webhooks_owner_fid_positive CHECK (owner_fid > 0),
    url         text        NOT NULL CONSTRAINT webhooks_url_length CHECK (char_length(url) BETWEEN 1 AND 2000),
    events      text[]      NOT NULL CONSTRAINT webhooks_events
                                     CHECK (cardinality(events) >= 1
                                            AND events <@ ARRAY['campaign.completed', 'campaign.failed', 'batch.failed']),
    campaign_id uuid        CONSTRAINT webhooks_campaign_fkey REFERENCES campaigns (id),
    -- The HMAC key: it must be readable to sign with, so it is stored as given; never returned after creation.
    secret      text        NOT NULL CONSTRAINT webhooks_secret_prefix CHECK (secret LIKE 'whsec\_%'),
    created_at  timestamptz NOT NULL,
    CONSTRAINT webhooks_pkey PRIMARY KEY (id)
);
-- byOwner, and the fan-out's look-up of an event's owner's webhooks
CREATE INDEX webhooks_by_owner ON webhooks (owner_fid, created_at, id);

CREATE TABLE webhook_events (
    seq            bigint      NOT NULL GENERATED ALWAYS AS IDENTITY,
    id             uuid        NOT NULL,
    type           text        NOT NULL CONSTRAINT webhook_events_type
                                        CHECK (type IN ('campaign.completed', 'campaign.failed', 'batch.failed', 'webhook.test')),
    campaign_id    uuid        CONSTRAINT webhook_events_campaign_fkey REFERENCES campaigns (id),
    -- the one webhook a test event is for
    target_webhook uuid        CONSTRAINT webhook_events_target_fkey REFERENCES webhooks (id) ON DELETE CASCADE,
    -- the data, by type: campaign.* status; batch.failed batch_id, batch_index, batch_run, error
    status         text,
    batch_id       uuid,
    batch_index    integer,
    batch_run      integer,
    error          text,
    created_at     timestamptz NOT NULL,
    dispatched     boolean     NOT NULL DEFAULT false,
    CONSTRAINT webhook_events_pkey PRIMARY KEY (seq),
    CONSTRAINT webhook_events_id_key UNIQUE (id),
    CONSTRAINT webhook_events_subject CHECK ((type = 'webhook.test') = (campaign_id IS NULL)
                                             AND (type = 'webhook.test') = (target_webhook IS NOT NULL)),
    CONSTRAINT webhook_events_batch_data CHECK (type <> 'batch.failed'
                                                OR (batch_id IS NOT NULL AND batch_index IS NOT NULL
                                                    AND batch_run IS NOT NULL AND error IS NOT NULL))
);
CREATE INDEX webhook_events_undispatched ON webhook_events (seq) WHERE NOT dispatched;
CREATE INDEX webhook_events_by_campaign ON webhook_events (campaign_id, seq);

CREATE TABLE webhook_deliveries (
    id           bigint      NOT NULL GENERATED ALWAYS AS IDENTITY,
    event_id     uuid        NOT NULL CONSTRAINT webhook_deliveries_event_fkey REFERENCES webhook_events (id),
    webhook_id   uuid        NOT NULL CONSTRAINT webhook_deliveries_webhook_fkey REFERENCES webhooks (id) ON DELETE CASCADE,
    status       text        NOT NULL CONSTRAINT webhook_deliveries_status CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts     integer     NOT NULL DEFAULT 0 CONSTRAINT webhook_deliveries_attempts CHECK (attempts >= 0),
    due_at       timestamptz NOT NULL,
    leased_until timestamptz,
    CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id),
    -- one delivery of an event to a webhook, however often or by how many workers it is dispatched
    CONSTRAINT webhook_deliveries_event_webhook_key UNIQUE (event_id, webhook_id)
);
-- claimDue: the pending ones by due time
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (due_at, id) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id);

CREATE TABLE webhook_attempts (
    seq          bigint      NOT NULL GENERATED ALWAYS AS IDENTITY,
    delivery_id  bigint      NOT NULL CONSTRAINT webhook_attempts_delivery_fkey
                                      REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    webhook_id   uuid        NOT NULL CONSTRAINT webhook_attempts_webhook_fkey REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id     uuid        NOT NULL,
    event_type   text        NOT NULL,
    attempt      integer     NOT NULL CONSTRAINT webhook_attempts_attempt_positive CHECK (attempt >= 1),
    status_code  integer,
    error        text        CONSTRAINT webhook_attempts_error_length CHECK (char_length(error) <= 1000),
    duration_ms  bigint      NOT NULL CONSTRAINT webhook_attempts_duration CHECK (duration_ms >= 0),
    attempted_at timestamptz NOT NULL,
    outcome      text        NOT NULL CONSTRAINT webhook_attempts_outcome CHECK (outcome IN ('DELIVERED', 'RETRYING', 'FAILED')),
    CONSTRAINT webhook_attempts_pkey PRIMARY KEY (seq)
);
-- the delivery log, newest first
CREATE INDEX webhook_attempts_by_webhook ON webhook_attempts (webhook_id, seq DESC);
