-- base-nft system of record (docs/architecture.md). Every rule that keeps a mint exactly-once is a constraint here, so a bug in
-- any process, or two processes racing, cannot store a duplicate: the database refuses it.
--
-- Addresses, hashes and batch keys are bytea of their exact width: half the size of hex text, compared byte-wise (the
-- same order as lower-case hex), and a CHECK on the length refuses anything malformed.

CREATE TABLE campaigns (
    id            uuid        NOT NULL,
    owner_fid     bigint      NOT NULL CONSTRAINT campaigns_owner_fid_positive CHECK (owner_fid > 0),
    name          text        NOT NULL CONSTRAINT campaigns_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    symbol        text        NOT NULL CONSTRAINT campaigns_symbol_length CHECK (char_length(symbol) BETWEEN 1 AND 16),
    description   text        NOT NULL CONSTRAINT campaigns_description_length CHECK (char_length(description) <= 2000),
    base_uri      text        NOT NULL CONSTRAINT campaigns_base_uri_length CHECK (char_length(base_uri) <= 500),
    chain_id      bigint      NOT NULL CONSTRAINT campaigns_chain_id_positive CHECK (chain_id > 0),
    contract      bytea                CONSTRAINT campaigns_contract_address CHECK (octet_length(contract) = 20
                                           AND contract <> '\x0000000000000000000000000000000000000000'::bytea),
    status        text        NOT NULL CONSTRAINT campaigns_status CHECK (status IN ('DRAFT', 'PROCESSING', 'COMPLETED', 'FAILED')),
    created_at    timestamptz NOT NULL,
    CONSTRAINT campaigns_pkey PRIMARY KEY (id)
);
-- listByOwner: WHERE owner_fid = ? AND id > ? ORDER BY id (uuid's order is CampaignId's: unsigned, as the text reads)
CREATE INDEX campaigns_owner_keyset ON campaigns (owner_fid, id);

CREATE TABLE recipients (
    -- No foreign key to campaigns, on purpose: PostgreSQL checks one row at a time, which measured 5 of the ~15 seconds
    -- a million-row upload took. The one writer of this table, Recipients.addAll, checks the campaign and locks its row
    -- (FOR KEY SHARE, then FOR NO KEY UPDATE) in the upload's transaction; campaigns are never deleted.
    campaign_id   uuid        NOT NULL,
    address       bytea       NOT NULL CONSTRAINT recipients_address CHECK (octet_length(address) = 20
                                           AND address <> '\x0000000000000000000000000000000000000000'::bytea),
    fid           bigint               CONSTRAINT recipients_fid_positive CHECK (fid > 0),
    status        text        NOT NULL CONSTRAINT recipients_status CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
    token_id      numeric(78, 0)       CONSTRAINT recipients_token_id CHECK (token_id >= 0),
    tx_hash       bytea                CONSTRAINT recipients_tx_hash CHECK (octet_length(tx_hash) = 32),
    last_error    text,
    -- insertion order, so pending() hands recipients to the planner in the order they were uploaded
    seq           bigint      NOT NULL GENERATED ALWAYS AS IDENTITY,
    -- one address at most once per campaign
    CONSTRAINT recipients_pkey PRIMARY KEY (campaign_id, address),
    CONSTRAINT recipients_completed_minted CHECK (status <> 'COMPLETED' OR (token_id IS NOT NULL AND tx_hash IS NOT NULL))
);
-- pending(): the not-yet-planned recipients in upload order; shrinks as batches are planned
CREATE INDEX recipients_pending ON recipients (campaign_id, seq) WHERE status = 'PENDING';
-- list(status=…) for the statuses after planning, keyset by address. Partial, so an upload (all PENDING) does not
-- maintain it: a full index on (campaign_id, status, address) doubled the time of a million-row upload. list(PENDING)
-- walks the primary key and filters.
CREATE INDEX recipients_status_keyset ON recipients (campaign_id, status, address) WHERE status <> 'PENDING';

CREATE TABLE batches (
    id            uuid        NOT NULL,
    campaign_id   uuid        NOT NULL CONSTRAINT batches_campaign_fkey REFERENCES campaigns (id),
    batch_index   integer     NOT NULL CONSTRAINT batches_index_not_negative CHECK (batch_index >= 0),
    batch_key     bytea       NOT NULL CONSTRAINT batches_key_32_bytes CHECK (octet_length(batch_key) = 32),
    -- fixed when planned, in mint order: one array read with the row, so claim() returns a whole batch in one statement
    recipients    bytea[]     NOT NULL CONSTRAINT batches_recipients_not_empty CHECK (cardinality(recipients) >= 1),
    status        text        NOT NULL CONSTRAINT batches_status CHECK (status IN ('PENDING', 'PROCESSING', 'SUBMITTED', 'COMPLETED', 'FAILED')),
    attempts      integer     NOT NULL CONSTRAINT batches_attempts_not_negative CHECK (attempts >= 0),
    run           integer     NOT NULL CONSTRAINT batches_run_not_negative CHECK (run >= 0),
    -- the minter wallet and nonce of the batch's latest signed transaction
    wallet        bytea                CONSTRAINT batches_wallet CHECK (octet_length(wallet) = 20),
    nonce         bigint               CONSTRAINT batches_nonce_not_negative CHECK (nonce >= 0),
    gas_used      bigint               CONSTRAINT batches_gas_used_not_negative CHECK (gas_used >= 0),
    block_number  bigint               CONSTRAINT batches_block_not_negative CHECK (block_number >= 0),
    error         text,
    -- the lease: which worker drives the batch, and until when
    lease_owner   text,
    lease_until   timestamptz,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT batches_pkey PRIMARY KEY (id),
    -- one batch per (campaign, index), and a batch key is never used twice
    CONSTRAINT batches_campaign_index_key UNIQUE (campaign_id, batch_index),
    CONSTRAINT batches_batch_key_key UNIQUE (batch_key),
    CONSTRAINT batches_lease_complete CHECK ((lease_owner IS NULL) = (lease_until IS NULL)),
    CONSTRAINT batches_submitted_has_nonce CHECK (status <> 'SUBMITTED' OR (nonce IS NOT NULL AND wallet IS NOT NULL))
);
-- byCampaign, nextIndex, countByStatus use batches_campaign_index_key; inFlight counts SUBMITTED batches per wallet
CREATE INDEX batches_in_flight ON batches (wallet) WHERE status = 'SUBMITTED';

-- The minter's nonce counter: the next nonce writeAhead hands out, per wallet.
CREATE TABLE minter_nonces (
    wallet        bytea       NOT NULL CONSTRAINT minter_nonces_wallet CHECK (octet_length(wallet) = 20),
    next_nonce    bigint      NOT NULL CONSTRAINT minter_nonces_next_not_negative CHECK (next_nonce >= 0),
    CONSTRAINT minter_nonces_pkey PRIMARY KEY (wallet)
);

-- Which batch a wallet nonce was allocated to. A nonce belongs to exactly one batch; its transactions (the first and every
-- same-nonce replacement) must all be that batch's, which the foreign key below enforces.
CREATE TABLE nonce_allocations (
    wallet        bytea       NOT NULL CONSTRAINT nonce_allocations_wallet CHECK (octet_length(wallet) = 20),
    nonce         bigint      NOT NULL CONSTRAINT nonce_allocations_nonce_not_negative CHECK (nonce >= 0),
    batch_id      uuid        NOT NULL CONSTRAINT nonce_allocations_batch_fkey REFERENCES batches (id),
    CONSTRAINT nonce_allocations_pkey PRIMARY KEY (wallet, nonce),
    CONSTRAINT nonce_allocations_owner_key UNIQUE (wallet, nonce, batch_id)
);

-- The write-ahead ledger: every signed transaction, stored before it is broadcast.
CREATE TABLE signed_transactions (
    id                       bigint         NOT NULL GENERATED ALWAYS AS IDENTITY,
    batch_id                 uuid           NOT NULL,
    wallet                   bytea          NOT NULL,
    nonce                    bigint         NOT NULL,
    tx_hash                  bytea          NOT NULL CONSTRAINT signed_transactions_hash CHECK (octet_length(tx_hash) = 32),
    raw_tx                   bytea          NOT NULL CONSTRAINT signed_transactions_raw_not_empty CHECK (octet_length(raw_tx) >= 1),
    gas_limit                bigint         NOT NULL CONSTRAINT signed_transactions_gas_limit_positive CHECK (gas_limit > 0),
    max_fee_per_gas          numeric(78, 0) NOT NULL,
    max_priority_fee_per_gas numeric(78, 0) NOT NULL,
    recorded_at              timestamptz    NOT NULL,
    CONSTRAINT signed_transactions_pkey PRIMARY KEY (id),
    CONSTRAINT signed_transactions_tx_hash_key UNIQUE (tx_hash),
    CONSTRAINT signed_transactions_nonce_owner_fkey FOREIGN KEY (wallet, nonce, batch_id)
        REFERENCES nonce_allocations (wallet, nonce, batch_id),
    CONSTRAINT signed_transactions_fees CHECK (max_priority_fee_per_gas >= 0 AND max_fee_per_gas >= max_priority_fee_per_gas)
);
-- forBatch: a batch's transactions, oldest first
CREATE INDEX signed_transactions_by_batch ON signed_transactions (batch_id, id);

-- API idempotency (exactly-once layer 1): the first response to each caller's Idempotency-Key.
CREATE TABLE idempotency_keys (
    caller_fid    bigint      NOT NULL CONSTRAINT idempotency_keys_caller_positive CHECK (caller_fid > 0),
    key           text        NOT NULL CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash  text        NOT NULL,
    status        integer     NOT NULL,
    body          text        NOT NULL,
    created_at    timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (caller_fid, key)
);
