-- Nonce fillers: zero-value transfers from the minter to itself, signed on a nonce that no mint will fill (its batch was
-- given up, or nothing was stored for it) so the minter's later transactions can be mined. Stored before they are sent, like
-- signed_transactions, so a crash leads to a rebroadcast of the same bytes, not a second signature. A filler belongs to no
-- batch: the wallet's nonces on chain are one per batch transaction plus the fillers listed here.
CREATE TABLE nonce_fillers (
    id                       bigint         NOT NULL GENERATED ALWAYS AS IDENTITY,
    wallet                   bytea          NOT NULL CONSTRAINT nonce_fillers_wallet CHECK (octet_length(wallet) = 20),
    nonce                    bigint         NOT NULL CONSTRAINT nonce_fillers_nonce_not_negative CHECK (nonce >= 0),
    tx_hash                  bytea          NOT NULL CONSTRAINT nonce_fillers_hash CHECK (octet_length(tx_hash) = 32),
    raw_tx                   bytea          NOT NULL CONSTRAINT nonce_fillers_raw_not_empty CHECK (octet_length(raw_tx) >= 1),
    gas_limit                bigint         NOT NULL CONSTRAINT nonce_fillers_gas_limit_positive CHECK (gas_limit > 0),
    max_fee_per_gas          numeric(78, 0) NOT NULL,
    max_priority_fee_per_gas numeric(78, 0) NOT NULL,
    reason                   text           NOT NULL CONSTRAINT nonce_fillers_reason_length
                                                     CHECK (char_length(reason) BETWEEN 1 AND 500),
    recorded_at              timestamptz    NOT NULL,
    CONSTRAINT nonce_fillers_pkey PRIMARY KEY (id),
    CONSTRAINT nonce_fillers_tx_hash_key UNIQUE (tx_hash),
    CONSTRAINT nonce_fillers_fees CHECK (max_priority_fee_per_gas >= 0 AND max_fee_per_gas >= max_priority_fee_per_gas)
);
-- fillersFrom, and the resync's highest filled nonce
CREATE INDEX nonce_fillers_by_wallet_nonce ON nonce_fillers (wallet, nonce, id);

-- transactionsFrom: the nonce-health check's look at every stored transaction from the node's pending nonce up
CREATE INDEX signed_transactions_by_wallet_nonce ON signed_transactions (wallet, nonce, id);
