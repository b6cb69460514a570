-- Which run of its batch a signed transaction belongs to. "Retry Failed" starts a new run (batches.run + 1); a transaction
-- of an earlier run that was mined with a revert has been reported already, so the new run signs a fresh one instead of
-- settling on that old receipt again.
ALTER TABLE signed_transactions ADD COLUMN batch_run integer;

-- Rows written before this column existed belong to the batch's current run: a batch FAILED by a revert and not yet
-- retried then gets a fresh transaction on its next retry, as new rows will.
UPDATE signed_transactions t SET batch_run = b.run FROM batches b WHERE b.id = t.batch_id;

ALTER TABLE signed_transactions
    ALTER COLUMN batch_run SET NOT NULL,
    ADD CONSTRAINT signed_transactions_batch_run_not_negative CHECK (batch_run >= 0);
