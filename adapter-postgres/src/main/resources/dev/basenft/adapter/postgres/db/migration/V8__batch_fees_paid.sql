-- What each completed batch cost the minter, from the receipt that completed it (issue 20): the price per gas actually
-- charged, and on the OP stack (Base) the L1 data fee charged on top. The fee paid is gas_used × effective_gas_price +
-- l1_fee; a campaign's is the sum over its batches. Both stay NULL for a batch not mined yet, for one mined before this
-- migration, and (l1_fee) on a chain whose receipts carry no L1 fee, such as anvil.
--
-- Nullable without a default: adding them rewrites nothing and takes the table's lock only for a moment.
ALTER TABLE batches
    ADD COLUMN effective_gas_price numeric(78, 0) CONSTRAINT batches_effective_gas_price_not_negative CHECK (effective_gas_price >= 0),
    ADD COLUMN l1_fee              numeric(78, 0) CONSTRAINT batches_l1_fee_not_negative CHECK (l1_fee >= 0),
    ADD CONSTRAINT batches_l1_fee_with_price CHECK (l1_fee IS NULL OR effective_gas_price IS NOT NULL);
