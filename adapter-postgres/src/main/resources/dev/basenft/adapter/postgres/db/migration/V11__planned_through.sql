-- Planning without writing every recipient row. Planning used to move each planned recipient PENDING -> PROCESSING: at a
-- million recipients that one write (a new row version and two index entries per recipient) was most of planning's time,
-- and it left a million dead entries at the front of recipients_pending for every later slice to step over.
--
-- A distribution plans a campaign's unplanned recipients in seq order, so what it plans is a prefix of the PENDING rows:
-- planned_through is the seq of the last recipient planned that way. A row that says PENDING with a seq at or below it
-- is in a batch, and every reader reports it as PROCESSING; the unplanned ones are the PENDING rows above it. The row is
-- written once more only when its batch settles (COMPLETED or FAILED), as before. Rows planned before this migration say
-- PROCESSING themselves and stay valid: 0 plans nothing.
--
-- A cancelled batch's recipients cannot become PENDING again (they are at or below planned_through): they are stored as
-- RETURNED, which readers report as PENDING, keeping their seq, so an export still lists them in upload order.
--
-- Whoever draws seq values for a campaign (an upload) or moves planned_through holds the campaign row FOR NO KEY UPDATE
-- until commit, so no row can appear at or below planned_through after it moved: the rule above never reports as
-- planned a recipient that is in no batch.
ALTER TABLE campaigns ADD COLUMN planned_through bigint NOT NULL DEFAULT 0
    CONSTRAINT campaigns_planned_through_not_negative CHECK (planned_through >= 0);

ALTER TABLE recipients
    DROP CONSTRAINT recipients_status,
    ADD CONSTRAINT recipients_status CHECK (status IN ('PENDING', 'RETURNED', 'PROCESSING', 'COMPLETED', 'FAILED'));
