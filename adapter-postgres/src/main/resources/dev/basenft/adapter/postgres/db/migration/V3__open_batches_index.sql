-- Batches.open(): the workers' periodic sweep lists every batch not yet COMPLETED or FAILED, by id, to make sure the queue
-- holds a job for each. Partial, so finished batches (nearly all of them, over time) cost the index nothing.
CREATE INDEX batches_open ON batches (id) WHERE status IN ('PENDING', 'PROCESSING', 'SUBMITTED');
