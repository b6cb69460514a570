package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BatchLifecycle;
import dev.basenft.core.model.BatchOverview;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.FeesPaid;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.ReceiptFees;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.PlanningConflictException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link Batches} on the {@code batches} table, whose {@code recipients} array fixes each batch's recipients in mint order.
 *
 * <p>Every state change is one {@code UPDATE … WHERE <expected state and lease> RETURNING}: PostgreSQL locks the row, and a
 * second worker racing for it re-checks the condition against the first one's committed row and finds it no longer holds,
 * so a claim is won by exactly one worker. The expected states and where each change leads come from core's
 * {@link BatchLifecycle} ({@link #statusIn}, {@link #statusAfter}): this class keeps only the compare-and-set.
 * Thread-safe.
 */
final class PgBatches implements Batches {

    static final String COLUMNS = "id, campaign_id, batch_index, batch_key, recipients, status, attempts, run, nonce,"
            + " gas_used, block_number, error, updated_at, effective_gas_price, l1_fee";
    /** {@link #COLUMNS} but the recipient array, whose count the generated {@code recipient_count} gives. */
    static final String OVERVIEW_COLUMNS = "id, batch_index, batch_key, status, attempts, run, recipient_count, nonce,"
            + " gas_used, block_number, error, updated_at, effective_gas_price, l1_fee";
    /**
     * The claim still holds the lease: same worker and same expiry. Matching the expiry too means a claim made earlier by
     * the same worker (a duplicate job in the same process) is superseded by a later one, instead of both writing.
     */
    static final String LEASE_HELD = "lease_owner = :worker AND lease_until = :until";

    /**
     * The recipient rows that are in a batch, whatever status they store (V11): PROCESSING, or PENDING at or below the
     * campaign's {@code planned_through}. Needs {@code recipients r} and {@code campaigns c}.
     */
    static final String PLANNED = "(r.status = 'PROCESSING' OR (r.status = 'PENDING' AND r.seq <= c.planned_through))";

    /** The batches the queue must hold a job for; the partial index {@code batches_open} has this very predicate. */
    static final String OPEN = statusIn(BatchLifecycle.OPEN);

    /** The campaign statuses in which no batch is signed fresh, as an SQL list. */
    static final String HALTED = Arrays.stream(CampaignStatus.values())
            .filter(CampaignStatus::isHalted)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));

    /** The longest failure reason kept, as in core's in-memory store; a chain error longer than this is a bug upstream. */
    static final int MAX_ERROR_LENGTH = 10_000;


    private final Jdbi jdbi;
    private final InstantSource time;

    PgBatches(Jdbi jdbi, InstantSource time) {
        this.jdbi = jdbi;
        this.time = time;
    }

    @Override
    public int nextIndex(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT coalesce(max(batch_index) + 1, 0) FROM batches WHERE campaign_id = :campaign")
                .bind("campaign", campaign.value())
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public void savePlanned(List<Batch> batches) {
        Require.notNull("batches", batches);
        for (int i = 0; i < batches.size(); i++) {
            Batch batch = Require.notNull("batches[" + i + "]", batches.get(i));
            if (batch.status() != BatchStatus.PENDING) {
                throw new IllegalArgumentException("batches[" + i + "] must be PENDING to be saved as planned, got "
                        + batch.status());
            }
        }
        if (batches.isEmpty()) {
            return;
        }
        try {
            jdbi.useTransaction(h -> {
                // Grouped by campaign (the planner stores one campaign's, but the port does not promise it), each
                // campaign's row locked first, in id order: see claimRecipientsForPlanning.
                Map<CampaignId, List<Batch>> byCampaign = new TreeMap<>();
                batches.forEach(b -> byCampaign.computeIfAbsent(b.campaignId(), c -> new ArrayList<>()).add(b));
                Map<CampaignId, Long> plannedThrough = new HashMap<>();
                for (CampaignId campaign : byCampaign.keySet()) {
                    plannedThrough.put(campaign, lockForPlanning(h, campaign));
                }
                insertBatches(h, batches);
                for (Map.Entry<CampaignId, List<Batch>> ofCampaign : byCampaign.entrySet()) {
                    claimRecipientsForPlanning(h, ofCampaign.getValue(), plannedThrough.get(ofCampaign.getKey()));
                }
            });
        } catch (RuntimeException e) {
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "batches_campaign_index_key")
                    || SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "batches_batch_key_key")) {
                throw new PlanningConflictException("a batch index of campaign " + batches.getFirst().campaignId()
                        + " is already taken (someone planned first); nothing was stored: " + SqlErrors.message(e));
            }
            if (SqlErrors.isState(e, SqlErrors.DEADLOCK)) {
                throw new PlanningConflictException("planning of campaign " + batches.getFirst().campaignId()
                        + " collided with another planner; nothing was stored");
            }
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "batches_pkey")) {
                throw new IllegalStateException("a batch id is already stored; nothing was stored: " + SqlErrors.message(e), e);
            }
            if (SqlErrors.violates(e, SqlErrors.FOREIGN_KEY_VIOLATION, "batches_campaign_fkey")) {
                throw new IllegalArgumentException("campaign " + batches.getFirst().campaignId()
                        + " does not exist; nothing was stored", e);
            }
            throw e;
        }
    }

    private static void insertBatches(Handle h, List<Batch> batches) {
        PreparedBatch insert = h.prepareBatch("INSERT INTO batches (id, campaign_id, batch_index, batch_key, recipients,"
                + " status, attempts, run, updated_at) VALUES (:id, :campaign, :index, :key, :recipients, "
                + literal(BatchStatus.PENDING) + ", :attempts, :run, :updatedAt)");
        for (Batch b : batches) {
            insert.bind("id", b.id().value())
                    .bind("campaign", b.campaignId().value())
                    .bind("index", b.index())
                    .bind("key", b.key().bytes())
                    .bind("recipients", Codec.byteaArray(b.recipients()))
                    .bind("attempts", b.attempts())
                    .bind("run", b.run())
                    .bind("updatedAt", Codec.timestamp(b.updatedAt()))
                    .add();
        }
        insert.execute();
    }

    /**
     * The campaign's next unplanned rows, in seq order, cut into batches and stored in one statement; returns the batches
     * stored. Binds {@code :campaign}, {@code :plannedThrough}, {@code :limit}, {@code :size}, {@code :firstIndex},
     * {@code :ids}, {@code :keys} and {@code :now}. The RETURNED rows it takes become PROCESSING; for the PENDING ones
     * (a prefix of those above planned_through, as the union's order makes them) planned_through moves to the last one's
     * seq (V11). The data-modifying parts touch different rows, as PostgreSQL requires of one statement.
     */
    private static final String PLAN_NEXT = "WITH unplanned AS ("
            + "SELECT address, seq, status FROM ("
            + "(SELECT address, seq, status FROM recipients WHERE campaign_id = :campaign AND status = 'PENDING'"
            + " AND seq > :plannedThrough ORDER BY seq LIMIT :limit)"
            + " UNION ALL (SELECT address, seq, status FROM recipients WHERE campaign_id = :campaign"
            + " AND status = 'RETURNED' ORDER BY seq LIMIT :limit)) u ORDER BY seq LIMIT :limit),"
            + " numbered AS (SELECT address, seq, status, (row_number() OVER (ORDER BY seq) - 1) / :size + 1 AS slot"
            + " FROM unplanned),"
            + " returned AS (UPDATE recipients r SET status = 'PROCESSING' FROM numbered n"
            + " WHERE r.campaign_id = :campaign AND r.address = n.address AND n.status = 'RETURNED'"
            + " AND r.status = 'RETURNED' RETURNING r.address),"
            + " moved AS (UPDATE campaigns SET planned_through = p.last FROM (SELECT max(seq) AS last FROM numbered"
            + " WHERE status = 'PENDING') p WHERE id = :campaign AND p.last IS NOT NULL RETURNING id),"
            + " inserted AS (INSERT INTO batches (id, campaign_id, batch_index, batch_key, recipients, status, attempts,"
            + " run, updated_at) SELECT s.id, :campaign, :firstIndex + s.slot - 1, s.key, g.recipients, "
            + literal(BatchStatus.PENDING) + ", 0, 0, :now"
            + " FROM (SELECT slot, array_agg(address ORDER BY seq) AS recipients FROM numbered GROUP BY slot) g"
            + " JOIN unnest(:ids, :keys) WITH ORDINALITY AS s(id, key, slot) ON s.slot = g.slot"
            + " RETURNING id, campaign_id, batch_index, run, cardinality(recipients) AS size)"
            + " SELECT * FROM inserted ORDER BY batch_index";

    @Override
    public List<PlannedBatch> planNext(CampaignId campaign, int firstIndex, List<BatchId> ids, int batchSize,
            Instant at) {
        Batches.requirePlanNextArguments(campaign, firstIndex, ids, batchSize, at);
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            keys.add(BatchKey.derive(campaign, firstIndex + i).bytes());
        }
        try {
            return jdbi.inTransaction(h -> {
                long plannedThrough = lockForPlanning(h, campaign);
                return h.createQuery(PLAN_NEXT)
                        .bind("campaign", campaign.value())
                        .bind("plannedThrough", plannedThrough)
                        .bind("limit", ids.size() * batchSize)
                        .bind("size", batchSize)
                        .bind("firstIndex", firstIndex)
                        .bind("ids", Codec.uuidArray(ids.stream().map(BatchId::value).toList()))
                        .bind("keys", Codec.bytesArray(keys))
                        .bind("now", Codec.timestamp(at))
                        // Without the recipients: the queue needs none, and each address read back costs a checksum.
                        .map((rs, ctx) -> new PlannedBatch(new BatchId(rs.getObject("id", UUID.class)),
                                new CampaignId(rs.getObject("campaign_id", UUID.class)), rs.getInt("batch_index"),
                                rs.getInt("run"), rs.getInt("size")))
                        .list();
            });
        } catch (RuntimeException e) {
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "batches_campaign_index_key")
                    || SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "batches_batch_key_key")
                    || SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "batches_pkey")) {
                throw new PlanningConflictException("a batch index or id from " + firstIndex + " of campaign " + campaign
                        + " is already taken (someone planned first); nothing was stored: " + SqlErrors.message(e));
            }
            throw e;
        }
    }

    /**
     * Locks the campaign's row for planning and returns its {@code planned_through} (V11). FOR NO KEY UPDATE, as an upload
     * and a cancel take it before they draw seq values: none of them is half done while planned_through moves. It leaves
     * the write-ahead's FOR KEY SHARE free, so planning never holds up a signing.
     *
     * @throws IllegalArgumentException when the campaign does not exist
     */
    private static long lockForPlanning(Handle h, CampaignId campaign) {
        return h.createQuery("SELECT planned_through FROM campaigns WHERE id = :campaign FOR NO KEY UPDATE")
                .bind("campaign", campaign.value())
                .mapTo(Long.class)
                .findOne()
                .orElseThrow(() -> new IllegalArgumentException("campaign " + campaign
                        + " does not exist; nothing was stored"));
    }

    /**
     * Marks the recipients of all {@code batches} (one campaign's) as planned; all of them, or a conflict that rolls the
     * whole plan back.
     *
     * <p>Batches the caller cut itself move their rows to PROCESSING one by one, in one statement. A distribution plans
     * with {@link #planNext} instead, which writes no recipient row (V11).
     */
    private static void claimRecipientsForPlanning(Handle h, List<Batch> batches, long plannedThrough) {
        CampaignId campaign = batches.getFirst().campaignId();
        List<Address> planned = batches.stream().flatMap(b -> b.recipients().stream()).toList();
        // Sorted, so two planners lock the same rows in the same order (the join walks the array in order) and do not
        // deadlock on each other. PENDING rows at or below planned_through are planned already.
        List<Address> sorted = planned.stream().sorted(Comparator.naturalOrder()).toList();
        int moved = h.createUpdate("UPDATE recipients r SET status = 'PROCESSING'"
                        + " FROM unnest(:addresses) AS planned (address)"
                        + " WHERE r.campaign_id = :campaign AND r.address = planned.address"
                        + " AND (r.status = 'RETURNED' OR (r.status = 'PENDING' AND r.seq > :plannedThrough))")
                .bind("campaign", campaign.value())
                .bind("plannedThrough", plannedThrough)
                .bind("addresses", Codec.byteaArray(sorted))
                .execute();
        if (moved != sorted.size()) {
            throw new PlanningConflictException("batches " + batches.getFirst().index() + " to " + batches.getLast().index()
                    + " of campaign " + batches.getFirst().campaignId() + ": " + (sorted.size() - moved) + " of their "
                    + sorted.size() + " recipients are no longer PENDING (or not in the campaign); nothing was stored");
        }
    }

    @Override
    public Optional<Batch> find(BatchId id) {
        Require.notNull("id", id);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM batches WHERE id = :id")
                .bind("id", id.value())
                .map(PgBatches::batch)
                .findOne());
    }

    @Override
    public Optional<CampaignId> campaignOf(BatchId id) {
        Require.notNull("id", id);
        return jdbi.withHandle(h -> h.createQuery("SELECT campaign_id FROM batches WHERE id = :id")
                .bind("id", id.value())
                .mapTo(UUID.class)
                .findOne()
                .map(CampaignId::new));
    }

    @Override
    public List<Batch> byCampaign(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM batches WHERE campaign_id = :campaign"
                        + " ORDER BY batch_index")
                .bind("campaign", campaign.value())
                .map(PgBatches::batch)
                .list());
    }

    @Override
    public List<BatchOverview> overviews(CampaignId campaign, Optional<Integer> afterIndex, int limit) {
        Require.notNull("campaign", campaign);
        Require.notNull("afterIndex", afterIndex);
        Require.between("limit", limit, 1, 10_000);
        // batches_campaign_index_key walks the page; the recipient arrays (TOASTed, kilobytes each) are never read.
        return jdbi.withHandle(h -> h.createQuery("SELECT " + OVERVIEW_COLUMNS + " FROM batches"
                        + " WHERE campaign_id = :campaign AND batch_index > :after ORDER BY batch_index LIMIT :limit")
                .bind("campaign", campaign.value())
                .bind("after", afterIndex.orElse(-1))
                .bind("limit", limit)
                .map(PgBatches::overview)
                .list());
    }

    @Override
    public FeesPaid feesPaid(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        return jdbi.withHandle(h -> h.createQuery("SELECT"
                        + " count(*) FILTER (WHERE effective_gas_price IS NOT NULL) AS paid,"
                        + " count(*) FILTER (WHERE effective_gas_price IS NULL) AS unknown,"
                        + " coalesce(sum(gas_used) FILTER (WHERE effective_gas_price IS NOT NULL), 0) AS gas,"
                        + " coalesce(sum(gas_used * effective_gas_price), 0) AS l2,"
                        + " coalesce(sum(l1_fee), 0) AS l1"
                        + " FROM batches WHERE campaign_id = :campaign AND status = 'COMPLETED'")
                .bind("campaign", campaign.value())
                .map((rs, ctx) -> new FeesPaid(rs.getLong("paid"), rs.getLong("unknown"), rs.getLong("gas"),
                        Codec.wei(rs.getBigDecimal("l2")), Codec.wei(rs.getBigDecimal("l1"))))
                .one());
    }

    @Override
    public List<Batch> open(Optional<BatchId> after, int limit) {
        // PostgreSQL orders uuid bytewise, as BatchId does; the partial index batches_open serves the scan.
        return page(OPEN, after, limit);
    }

    @Override
    public List<Batch> failed(Optional<BatchId> after, int limit) {
        return page(statusIn(Set.of(BatchStatus.FAILED)), after, limit);
    }

    private List<Batch> page(String where, Optional<BatchId> after, int limit) {
        Require.notNull("after", after);
        Require.between("limit", limit, 1, 10_000);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM batches"
                        + " WHERE " + where
                        + (after.isPresent() ? " AND id > :after" : "") + " ORDER BY id LIMIT :limit")
                .bindMap(after.isPresent() ? Map.of("after", after.get().value(), "limit", limit) : Map.of("limit", limit))
                .map(PgBatches::batch)
                .list());
    }

    @Override
    public Map<BatchStatus, Long> countByStatus(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        Map<BatchStatus, Long> counts = new EnumMap<>(BatchStatus.class);
        for (BatchStatus s : BatchStatus.values()) {
            counts.put(s, 0L);
        }
        jdbi.useHandle(h -> h.createQuery("SELECT status, count(*) FROM batches WHERE campaign_id = :campaign"
                        + " GROUP BY status")
                .bind("campaign", campaign.value())
                .map((rs, ctx) -> Map.entry(BatchStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    @Override
    public Optional<Batch> claim(Claim claim) {
        Require.notNull("claim", claim);
        return jdbi.withHandle(h -> h.createQuery("UPDATE batches SET"
                        + " status = " + statusAfter(BatchLifecycle.CLAIMABLE, BatchLifecycle::afterClaim) + ","
                        + " attempts = attempts + 1, lease_owner = :worker, lease_until = :until, updated_at = :now"
                        + " WHERE id = :id AND " + statusIn(BatchLifecycle.CLAIMABLE)
                        + " AND (lease_owner IS NULL OR lease_until <= :now OR lease_owner = :worker)"
                        // A halted campaign's PENDING batches wait unclaimed. Read without a lock: a pause committing
                        // after this read is caught by the write-ahead, which reads the campaign under a lock.
                        + " AND NOT (status = " + literal(BatchStatus.PENDING) + " AND EXISTS (SELECT 1 FROM campaigns c"
                        + " WHERE c.id = batches.campaign_id AND c.status IN (" + HALTED + ")))"
                        + " RETURNING " + COLUMNS)
                .bind("id", claim.batchId().value())
                .bind("worker", claim.worker())
                .bind("until", Codec.timestamp(claim.until()))
                .bind("now", Codec.timestamp(claim.now()))
                .map(PgBatches::batch)
                .findOne());
    }

    @Override
    public boolean release(Claim claim, Optional<String> waiting) {
        Require.notNull("claim", claim);
        Require.notNull("waiting", waiting);
        // A reason is kept as the error column holds it; an absent one leaves the column as it was.
        Optional<String> reason = waiting.map(r -> Require.text("waiting", r.length() > MAX_ERROR_LENGTH
                ? r.substring(0, MAX_ERROR_LENGTH) : r, 1, MAX_ERROR_LENGTH));
        return jdbi.withHandle(h -> h.createUpdate("UPDATE batches SET"
                        + " status = " + statusAfter(BatchLifecycle.RELEASABLE, BatchLifecycle::afterRelease) + ","
                        + " error = coalesce(:reason, error), lease_owner = NULL, lease_until = NULL, updated_at = :now"
                        + " WHERE id = :id AND " + statusIn(BatchLifecycle.RELEASABLE) + " AND " + LEASE_HELD)
                .bind("reason", reason.orElse(null))
                .bind("id", claim.batchId().value())
                .bind("worker", claim.worker())
                .bind("until", Codec.timestamp(claim.until()))
                .bind("now", Codec.timestamp(claim.now()))
                .execute()) == 1;
    }

    @Override
    public boolean complete(BatchId id, MintReceipt receipt) {
        Require.notNull("id", id);
        Require.notNull("receipt", receipt);
        Batch.requireSuccessful(receipt);
        return jdbi.inTransaction(h -> {
            Batch batch = h.createQuery("SELECT " + COLUMNS + " FROM batches WHERE id = :id FOR UPDATE")
                    .bind("id", id.value())
                    .map(PgBatches::batch)
                    .findOne()
                    .orElseThrow(() -> new IllegalArgumentException("batch " + id + " does not exist"));
            if (batch.status() == BatchStatus.COMPLETED) {
                return false;
            }
            // The model decides, as in every other store: PENDING or FAILED cannot jump to COMPLETED, and the receipt must
            // cover every recipient. The row is locked, so the batch read is the batch written.
            Batch completed = batch.completed(receipt, time.instant());
            h.createUpdate("UPDATE batches SET status = :status, gas_used = :gasUsed, block_number = :block,"
                            + " effective_gas_price = :price, l1_fee = :l1Fee,"
                            + " error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = :now WHERE id = :id")
                    .bind("id", id.value())
                    .bind("status", completed.status().name())
                    .bind("gasUsed", receipt.gasUsed())
                    .bind("block", receipt.blockNumber())
                    .bind("price", receipt.fees().map(f -> Codec.numeric(f.effectiveGasPrice())).orElse(null))
                    .bind("l1Fee", receipt.fees().flatMap(ReceiptFees::l1Fee).map(Codec::numeric).orElse(null))
                    .bind("now", Codec.timestamp(completed.updatedAt()))
                    .execute();
            List<String> tokenIds = new ArrayList<>();
            List<Address> addresses = new ArrayList<>();
            for (MintedToken token : receipt.tokens()) {
                addresses.add(token.to());
                tokenIds.add(token.tokenId().value().toString());
            }
            int updated = h.createUpdate("UPDATE recipients r SET status = 'COMPLETED', token_id = t.token_id::numeric,"
                            + " tx_hash = :hash, last_error = NULL"
                            + " FROM unnest(:addresses, :tokenIds) AS t(address, token_id)"
                            + " WHERE r.campaign_id = :campaign AND r.address = t.address")
                    .bind("campaign", batch.campaignId().value())
                    .bind("hash", Codec.hexBytes(receipt.hash().value()))
                    .bind("addresses", Codec.byteaArray(addresses))
                    .bind("tokenIds", Codec.textArray(tokenIds))
                    .execute();
            if (updated != addresses.size()) {
                throw new IllegalStateException("batch " + id + ": only " + updated + " of its " + addresses.size()
                        + " recipients are stored in campaign " + batch.campaignId() + "; nothing was changed");
            }
            return true;
        });
    }

    @Override
    public boolean fail(Claim claim, String error) {
        Require.notNull("claim", claim);
        String reason = Require.text("error", error, 1, MAX_ERROR_LENGTH);
        return jdbi.inTransaction(h -> {
            Optional<Batch> failed = h.createQuery("UPDATE batches SET status = " + literal(BatchStatus.FAILED)
                            + ", error = :error, lease_owner = NULL, lease_until = NULL, updated_at = :now"
                            + " WHERE id = :id AND " + statusIn(BatchLifecycle.FAILABLE) + " AND " + LEASE_HELD
                            + " RETURNING " + COLUMNS)
                    .bind("id", claim.batchId().value())
                    .bind("worker", claim.worker())
                    .bind("until", Codec.timestamp(claim.until()))
                    .bind("now", Codec.timestamp(claim.now()))
                    .bind("error", reason)
                    .map(PgBatches::batch)
                    .findOne();
            failed.ifPresent(batch -> h.createUpdate("UPDATE recipients r SET status = 'FAILED', last_error = :error"
                            + " FROM campaigns c WHERE c.id = r.campaign_id AND r.campaign_id = :campaign"
                            + " AND r.address = ANY (:addresses) AND " + PLANNED)
                    .bind("campaign", batch.campaignId().value())
                    .bind("addresses", Codec.byteaArray(batch.recipients()))
                    .bind("error", reason)
                    .execute());
            // The webhook event goes in with the change (the outbox): a crash keeps both or neither.
            failed.ifPresent(batch -> PgWebhooks.recordBatchFailed(h, batch, reason, claim.now()));
            return failed.isPresent();
        });
    }

    @Override
    public Optional<Batch> requeue(BatchId id) {
        Require.notNull("id", id);
        return jdbi.inTransaction(h -> {
            Optional<Batch> requeued = h.createQuery("UPDATE batches SET status = " + literal(BatchStatus.PENDING)
                            + ", run = run + 1, lease_owner = NULL, lease_until = NULL, updated_at = :now"
                            + " WHERE id = :id AND " + statusIn(BatchLifecycle.RETRYABLE) + " RETURNING " + COLUMNS)
                    .bind("id", id.value())
                    .bind("now", Codec.timestamp(time.instant()))
                    .map(PgBatches::batch)
                    .findOne();
            requeued.ifPresent(batch -> h.createUpdate("UPDATE recipients SET status = 'PROCESSING'"
                            + " WHERE campaign_id = :campaign AND address = ANY (:addresses) AND status = 'FAILED'")
                    .bind("campaign", batch.campaignId().value())
                    .bind("addresses", Codec.byteaArray(batch.recipients()))
                    .execute());
            return requeued;
        });
    }

    @Override
    public int cancelPending(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        return jdbi.inTransaction(h -> {
            List<Batch> cancelled = h.createQuery("UPDATE batches SET status = " + literal(BatchStatus.CANCELLED)
                            + ", lease_owner = NULL, lease_until = NULL, updated_at = :now"
                            + " WHERE campaign_id = :campaign AND " + statusIn(BatchLifecycle.CANCELLABLE)
                            + " RETURNING " + COLUMNS)
                    .bind("campaign", campaign.value())
                    .bind("now", Codec.timestamp(time.instant()))
                    .map(PgBatches::batch)
                    .list();
            unplan(h, campaign, cancelled);
            return cancelled.size();
        });
    }

    @Override
    public boolean withdraw(Claim claim) {
        Require.notNull("claim", claim);
        return jdbi.inTransaction(h -> {
            Optional<Batch> withdrawn = h.createQuery("UPDATE batches SET status = " + literal(BatchStatus.CANCELLED)
                            + ", lease_owner = NULL, lease_until = NULL, updated_at = :now"
                            + " WHERE id = :id AND " + statusIn(BatchLifecycle.WITHDRAWABLE) + " AND " + LEASE_HELD
                            + " RETURNING " + COLUMNS)
                    .bind("id", claim.batchId().value())
                    .bind("worker", claim.worker())
                    .bind("until", Codec.timestamp(claim.until()))
                    .bind("now", Codec.timestamp(claim.now()))
                    .map(PgBatches::batch)
                    .findOne();
            withdrawn.ifPresent(batch -> unplan(h, batch.campaignId(), List.of(batch)));
            return withdrawn.isPresent();
        });
    }

    /**
     * The cancelled batches' recipients become unplanned again, in address order like planning's locks: RETURNED (V11),
     * which the port reports as PENDING, whether they were planned by {@code planned_through} or row by row.
     */
    private static void unplan(Handle h, CampaignId campaign, List<Batch> cancelled) {
        if (cancelled.isEmpty()) {
            return;
        }
        List<Address> sorted = cancelled.stream().flatMap(b -> b.recipients().stream()).sorted(Comparator.naturalOrder())
                .toList();
        h.createUpdate("UPDATE recipients r SET status = 'RETURNED', last_error = NULL"
                        + " FROM unnest(:addresses) AS planned (address), campaigns c"
                        + " WHERE c.id = r.campaign_id AND r.campaign_id = :campaign AND r.address = planned.address"
                        + " AND " + PLANNED)
                .bind("campaign", campaign.value())
                .bind("addresses", Codec.byteaArray(sorted))
                .execute();
    }

    /** {@code status IN ('A', 'B')}: the SQL form of one of {@link BatchLifecycle}'s sets, in the enum's order. */
    static String statusIn(Set<BatchStatus> statuses) {
        return statuses.stream().sorted().map(PgBatches::literal).collect(Collectors.joining(", ", "status IN (", ")"));
    }

    /**
     * {@code CASE status WHEN 'A' THEN 'B' … ELSE status END}: where an operation allowed from {@code from} leads each
     * status, as {@code after} says; statuses it leaves alone keep theirs.
     */
    static String statusAfter(Set<BatchStatus> from, UnaryOperator<BatchStatus> after) {
        StringBuilder sql = new StringBuilder("CASE status");
        from.stream().sorted().filter(s -> after.apply(s) != s)
                .forEach(s -> sql.append(" WHEN ").append(literal(s)).append(" THEN ").append(literal(after.apply(s))));
        return sql.append(" ELSE status END").toString();
    }

    /** A status as an SQL literal; enum names are plain letters, so quoting is all it needs. */
    static String literal(BatchStatus status) {
        return "'" + status.name() + "'";
    }

    static Batch batch(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Batch(
                new BatchId(rs.getObject("id", UUID.class)),
                new CampaignId(rs.getObject("campaign_id", UUID.class)),
                rs.getInt("batch_index"),
                new BatchKey(Codec.hex(rs.getBytes("batch_key"))),
                Codec.addresses(rs.getArray("recipients")),
                BatchStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getInt("run"),
                Codec.optionalLong(rs, "nonce"),
                Codec.optionalLong(rs, "gas_used"),
                Codec.optionalLong(rs, "block_number"),
                Optional.ofNullable(rs.getString("error")),
                Codec.instant(rs, "updated_at"),
                fees(rs));
    }

    static BatchOverview overview(ResultSet rs, StatementContext ctx) throws SQLException {
        return new BatchOverview(
                new BatchId(rs.getObject("id", UUID.class)),
                rs.getInt("batch_index"),
                new BatchKey(Codec.hex(rs.getBytes("batch_key"))),
                BatchStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getInt("run"),
                rs.getInt("recipient_count"),
                Codec.optionalLong(rs, "nonce"),
                Codec.optionalLong(rs, "gas_used"),
                Codec.optionalLong(rs, "block_number"),
                Optional.ofNullable(rs.getString("error")),
                Codec.instant(rs, "updated_at"),
                fees(rs));
    }

    private static Optional<ReceiptFees> fees(ResultSet rs) throws SQLException {
        java.math.BigDecimal price = rs.getBigDecimal("effective_gas_price");
        java.math.BigDecimal l1 = rs.getBigDecimal("l1_fee");
        return price == null ? Optional.empty()
                : Optional.of(new ReceiptFees(Codec.wei(price), Optional.ofNullable(l1).map(Codec::wei)));
    }
}
