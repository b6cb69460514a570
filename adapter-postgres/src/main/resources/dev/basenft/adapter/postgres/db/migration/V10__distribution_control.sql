-- Distribution control (pause, resume, cancel): a campaign may be PAUSED or CANCELLED, and a batch nothing was signed for
-- may be CANCELLED with its campaign (its recipients go back to PENDING; the batch row stays, as history, holding no
-- one). Only the CHECK constraints change: no row is rewritten, and the statuses existing rows hold stay valid. Each
-- constraint is swapped in one statement, so the table is never without one.
ALTER TABLE campaigns
    DROP CONSTRAINT campaigns_status,
    ADD CONSTRAINT campaigns_status
        CHECK (status IN ('DRAFT', 'PROCESSING', 'COMPLETED', 'FAILED', 'PAUSED', 'CANCELLED'));

ALTER TABLE batches
    DROP CONSTRAINT batches_status,
    ADD CONSTRAINT batches_status
        CHECK (status IN ('PENDING', 'PROCESSING', 'SUBMITTED', 'COMPLETED', 'FAILED', 'CANCELLED'));
