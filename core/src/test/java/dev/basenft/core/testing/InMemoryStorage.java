package dev.basenft.core.testing;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchLifecycle;
import dev.basenft.core.model.BatchOverview;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BatchSummary;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.FeesPaid;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookEvent;
import dev.basenft.core.model.WebhookEventType;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.CampaignHaltedException;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.Campaigns.Attachment;
import dev.basenft.core.port.out.Campaigns.CampaignWithSummary;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.IdempotencyRecords;
import dev.basenft.core.port.out.LostClaimException;
import dev.basenft.core.port.out.PlanningConflictException;
import dev.basenft.core.port.out.Recipients;
import dev.basenft.core.port.out.TransactionLedger;
import dev.basenft.core.port.out.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The five storage ports in memory: {@link #campaigns()}, {@link #recipients()}, {@link #batches()}, {@link #ledger()} and
 * {@link #idempotency()}, all over one lock, because a batch, its recipients and its ledger entries change together (the way
 * one database transaction changes them in PostgreSQL).
 *
 * <p>Semantics follow the port Javadoc exactly: conditional updates that report whether they won, batch leases judged by
 * {@link Claim#now()}, all-or-nothing ingest and planning, and an atomic write-ahead (nonce allocation, signing, storing and
 * {@code → SUBMITTED} in one step; nothing kept if the signer throws). Where the ports leave a case open, this implementation
 * is strict: state changes go through the model's state machines, so an illegal one throws
 * {@link dev.basenft.core.model.IllegalTransitionException} and changes nothing.
 *
 * <p>A claim is "still the batch's" while the batch's lease names the claim's worker; a lapsed lease stays its holder's
 * until another worker claims the batch, exactly as a {@code WHERE lease_owner = ?} update would behave.
 *
 * <p>Thread-safe. All arguments must be non-null unless a parameter says otherwise.
 */
public final class InMemoryStorage {

    private final ReentrantLock lock = new ReentrantLock();
    private final InstantSource clock;

    private final Map<CampaignId, Campaign> campaignRows = new HashMap<>();
    /** Per campaign, recipients by address; a LinkedHashMap so "the order they were added" survives updates. */
    private final Map<CampaignId, LinkedHashMap<Address, Recipient>> recipientRows = new HashMap<>();
    private final Map<BatchId, BatchRow> batchRows = new HashMap<>();
    private final Map<BatchId, List<StoredTransaction>> transactionRows = new HashMap<>();
    private final Map<Address, Long> nonceCounters = new HashMap<>();
    private final List<FillerTransaction> fillerRows = new ArrayList<>();
    private final Map<IdempotencyKey, IdempotencyRecords.Record> idempotencyRows = new HashMap<>();
    private final Map<WebhookId, Webhook> webhookRows = new LinkedHashMap<>();
    /** The outbox: every event in the order recorded, with whether it was fanned out. */
    private final List<EventRow> eventRows = new ArrayList<>();
    private final Map<Long, DeliveryRow> deliveryRows = new LinkedHashMap<>();
    private final List<AttemptRow> attemptRows = new ArrayList<>();
    private long nextDeliveryId = 1;
    private long nextAttemptSequence = 1;

    private final Campaigns campaigns = new CampaignStore();
    private final Recipients recipients = new RecipientStore();
    private final Batches batches = new BatchStore();
    private final TransactionLedger ledger = new Ledger();
    private final IdempotencyRecords idempotency = new IdempotencyStore();
    private final Webhooks webhooks = new WebhookStore();

    /**
     * @param clock stamps {@link StoredTransaction#recordedAt()} (the time a database's {@code now()} would); not null
     */
    public InMemoryStorage(InstantSource clock) {
        this.clock = Require.notNull("clock", clock);
    }

    public Campaigns campaigns() {
        return campaigns;
    }

    public Recipients recipients() {
        return recipients;
    }

    public Batches batches() {
        return batches;
    }

    public TransactionLedger ledger() {
        return ledger;
    }

    public IdempotencyRecords idempotency() {
        return idempotency;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    /** Records an outbox event; called under the lock by the change that causes it, as the database's trigger does. */
    private void recordEvent(WebhookEventType type, CampaignId campaign, Map<String, Object> data) {
        // A random id, as PostgreSQL's gen_random_uuid(): this is a test double, not core.
        eventRows.add(new EventRow(new WebhookEvent(UUID.randomUUID(), type, Optional.of(campaign), clock.instant(), data),
                Optional.empty(), false));
    }

    /** For tests: the worker holding the batch's lease, if any (lapsed or not). */
    public Optional<String> leaseHolder(BatchId id) {
        return locked(() -> Optional.ofNullable(batchRows.get(id)).flatMap(row -> Optional.ofNullable(row.lease()))
                .map(Lease::worker));
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private static void requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    private Campaign requireCampaign(CampaignId id) {
        Campaign campaign = campaignRows.get(id);
        if (campaign == null) {
            throw new IllegalArgumentException("campaign " + id + " does not exist");
        }
        return campaign;
    }

    /** The row of a batch the claim still holds in one of {@code statuses}, or {@link LostClaimException}. */
    private BatchRow heldBy(Claim claim, Set<BatchStatus> statuses) {
        if (!holds(claim, statuses)) {
            throw new LostClaimException(claim.batchId(), claim.worker());
        }
        return batchRows.get(claim.batchId());
    }

    /** The compare-and-set of every leased change: the claim's worker holds the lease, and the status is one expected. */
    private boolean holds(Claim claim, Set<BatchStatus> statuses) {
        BatchRow row = batchRows.get(claim.batchId());
        return row != null && row.lease() != null && row.lease().worker().equals(claim.worker())
                && statuses.contains(row.batch().status());
    }

    private record Lease(String worker, Instant until) {
    }

    private record BatchRow(Batch batch, Lease lease) {
    }

    private record IdempotencyKey(Fid caller, String key) {
    }

    /** An outbox row; {@code target} is the one webhook of a test event. */
    private record EventRow(WebhookEvent event, Optional<WebhookId> target, boolean dispatched) {
    }

    private record DeliveryRow(long id, UUID eventId, WebhookId webhookId, String status, int attempts, Instant dueAt,
            Instant leasedUntil) {
    }

    private record AttemptRow(WebhookId webhookId, WebhookAttempt attempt) {
    }

    private final class CampaignStore implements Campaigns {

        @Override
        public void create(Campaign campaign) {
            Require.notNull("campaign", campaign);
            locked(() -> {
                if (campaignRows.putIfAbsent(campaign.id(), campaign) != null) {
                    throw new IllegalStateException("campaign " + campaign.id() + " already exists");
                }
                return null;
            });
        }

        @Override
        public Optional<Campaign> find(CampaignId id) {
            Require.notNull("id", id);
            return locked(() -> Optional.ofNullable(campaignRows.get(id)));
        }

        @Override
        public Optional<CampaignWithSummary> findWithSummary(CampaignId id) {
            Require.notNull("id", id);
            // Under the one lock (reentrant, so the two counts may take it again): campaign and counts from one moment.
            return locked(() -> Optional.ofNullable(campaignRows.get(id)).map(campaign -> new CampaignWithSummary(campaign,
                    new BatchSummary(recipients.countByStatus(id), batches.countByStatus(id)))));
        }

        @Override
        public List<Campaign> listByOwner(Fid owner, Optional<CampaignId> after, int limit) {
            Require.notNull("owner", owner);
            Require.notNull("after", after);
            requireLimit(limit);
            return locked(() -> campaignRows.values().stream()
                    .filter(c -> c.owner().equals(owner))
                    .filter(c -> after.isEmpty() || c.id().compareTo(after.get()) > 0)
                    .sorted(Comparator.comparing(Campaign::id))
                    .limit(limit)
                    .toList());
        }

        /** Under the one lock, so the uniqueness check and the write are one step, as PostgreSQL's unique index makes them. */
        @Override
        public Attachment attachCollection(CampaignId id, CollectionDeployment deployment) {
            Require.notNull("id", id);
            Require.notNull("deployment", deployment);
            return locked(() -> {
                Campaign campaign = campaignRows.get(id);
                if (campaign == null) {
                    return new Attachment.NoSuchCampaign();
                }
                if (campaign.contract().isPresent()) {
                    return new Attachment.CampaignHasCollection(campaign.contract().get());
                }
                Optional<Campaign> holder = campaignRows.values().stream()
                        .filter(c -> c.chainId().equals(campaign.chainId())
                                && c.contract().equals(Optional.of(deployment.address())))
                        .findFirst();
                if (holder.isPresent()) {
                    return new Attachment.CollectionTaken(holder.get().id());
                }
                campaignRows.put(id, campaign.withCollection(deployment));
                return new Attachment.Attached();
            });
        }

        @Override
        public boolean updateStatus(CampaignId id, CampaignStatus expected, CampaignStatus next) {
            Require.notNull("id", id);
            Require.notNull("expected", expected);
            Require.notNull("next", next);
            return locked(() -> {
                Campaign campaign = campaignRows.get(id);
                if (campaign == null || campaign.status() != expected) {
                    return false;
                }
                campaignRows.put(id, campaign.withStatus(next));
                if (next == CampaignStatus.COMPLETED || next == CampaignStatus.FAILED) {
                    recordEvent(next == CampaignStatus.COMPLETED ? WebhookEventType.CAMPAIGN_COMPLETED
                            : WebhookEventType.CAMPAIGN_FAILED, id, Map.of("status", next.name()));
                }
                return true;
            });
        }
    }

    private final class RecipientStore implements Recipients {

        @Override
        public IngestResult addAll(CampaignId campaign, Iterator<NewRecipient> incoming) {
            Require.notNull("campaign", campaign);
            Require.notNull("recipients", incoming);
            return locked(() -> {
                requireCampaign(campaign);
                Map<Address, Recipient> existing = recipientRows.getOrDefault(campaign, new LinkedHashMap<>());
                // Staged apart from the stored rows and committed only after the last row: a failure anywhere stores nothing.
                LinkedHashMap<Address, Recipient> staged = new LinkedHashMap<>();
                long duplicates = 0;
                long row = 0;
                while (incoming.hasNext()) {
                    row++;
                    NewRecipient next = incoming.next();
                    if (next == null) {
                        throw new IllegalArgumentException("recipient " + row + " is null");
                    }
                    if (existing.containsKey(next.address()) || staged.containsKey(next.address())) {
                        duplicates++;
                    } else {
                        staged.put(next.address(), Recipient.pending(campaign, next.address(), next.fid()));
                    }
                }
                recipientRows.computeIfAbsent(campaign, c -> new LinkedHashMap<>()).putAll(staged);
                return new IngestResult(staged.size(), duplicates);
            });
        }

        @Override
        public List<Address> pending(CampaignId campaign, int limit) {
            Require.notNull("campaign", campaign);
            requireLimit(limit);
            return locked(() -> rowsOf(campaign).values().stream()
                    .filter(r -> r.status() == RecipientStatus.PENDING)
                    .limit(limit)
                    .map(Recipient::address)
                    .toList());
        }

        @Override
        public Optional<Recipient> find(CampaignId campaign, Address address) {
            Require.notNull("campaign", campaign);
            Require.notNull("address", address);
            return locked(() -> Optional.ofNullable(rowsOf(campaign).get(address)));
        }

        @Override
        public List<Recipient> list(CampaignId campaign, Optional<RecipientStatus> status, Optional<Address> after,
                int limit) {
            Require.notNull("campaign", campaign);
            Require.notNull("status", status);
            Require.notNull("after", after);
            requireLimit(limit);
            return locked(() -> rowsOf(campaign).values().stream()
                    .filter(r -> status.isEmpty() || r.status() == status.get())
                    .filter(r -> after.isEmpty() || r.address().compareTo(after.get()) > 0)
                    .sorted(Comparator.comparing(Recipient::address))
                    .limit(limit)
                    .toList());
        }

        @Override
        public void export(CampaignId campaign, java.util.function.Consumer<ExportedRecipient> sink) {
            Require.notNull("campaign", campaign);
            Require.notNull("sink", sink);
            // A snapshot taken under the lock, handed out after it: the sink may be slow (a client reading the export).
            List<ExportedRecipient> rows = locked(() -> {
                Map<Address, Integer> batchOf = new HashMap<>();
                batchRows.values().stream().map(BatchRow::batch).filter(b -> b.campaignId().equals(campaign))
                        .filter(b -> b.status() != BatchStatus.CANCELLED)
                        .forEach(b -> b.recipients().forEach(a -> batchOf.put(a, b.index())));
                return rowsOf(campaign).values().stream()
                        .map(r -> new ExportedRecipient(r, Optional.ofNullable(batchOf.get(r.address()))))
                        .toList();
            });
            rows.forEach(sink);
        }

        @Override
        public Removal remove(CampaignId campaign, List<Address> addresses) {
            Require.notNull("campaign", campaign);
            Require.notNull("addresses", addresses);
            Require.atLeast("addresses.size", addresses.size(), 1);
            return locked(() -> {
                Map<Address, Recipient> rows = rowsOf(campaign);
                Map<Address, RecipientStatus> planned = new LinkedHashMap<>();
                List<Address> absent = new ArrayList<>();
                Set<Address> present = new LinkedHashSet<>();
                for (Address address : addresses) {
                    Recipient r = rows.get(Require.notNull("address", address));
                    if (r == null) {
                        if (!absent.contains(address)) {
                            absent.add(address);
                        }
                    } else if (r.status() != RecipientStatus.PENDING) {
                        planned.put(address, r.status());
                    } else {
                        present.add(address);
                    }
                }
                if (!planned.isEmpty()) {
                    return new Removal.Refused(planned);
                }
                present.forEach(rows::remove);
                return new Removal.Removed(present.size(), absent);
            });
        }

        @Override
        public Map<RecipientStatus, Long> countByStatus(CampaignId campaign) {
            Require.notNull("campaign", campaign);
            return locked(() -> {
                Map<RecipientStatus, Long> counts = new EnumMap<>(RecipientStatus.class);
                for (RecipientStatus s : RecipientStatus.values()) {
                    counts.put(s, 0L);
                }
                rowsOf(campaign).values().forEach(r -> counts.merge(r.status(), 1L, Long::sum));
                return Map.copyOf(counts);
            });
        }
    }

    private Map<Address, Recipient> rowsOf(CampaignId campaign) {
        return recipientRows.getOrDefault(campaign, new LinkedHashMap<>());
    }

    /** Moves the listed recipients to {@code target} through their state machine; validates all before changing any. */
    private void moveRecipients(CampaignId campaign, List<Address> addresses,
            java.util.function.Function<Recipient, Recipient> change) {
        Map<Address, Recipient> rows = recipientRows.get(campaign);
        List<Recipient> changed = new ArrayList<>();
        for (Address address : addresses) {
            Recipient current = rows == null ? null : rows.get(address);
            if (current == null) {
                throw new IllegalStateException("recipient " + address + " of campaign " + campaign + " is missing");
            }
            changed.add(change.apply(current));
        }
        changed.forEach(r -> rows.put(r.address(), r));
    }

    private static Recipient recipientWith(Recipient r, RecipientStatus target, Optional<dev.basenft.core.model.TokenId> token,
            Optional<dev.basenft.core.model.TxHash> hash, Optional<String> error) {
        return new Recipient(r.campaignId(), r.address(), r.fid(), r.status().moveTo(target), token, hash, error);
    }

    private final class BatchStore implements Batches {

        @Override
        public int nextIndex(CampaignId campaign) {
            Require.notNull("campaign", campaign);
            return locked(() -> batchRows.values().stream()
                    .filter(row -> row.batch().campaignId().equals(campaign))
                    .mapToInt(row -> row.batch().index() + 1)
                    .max()
                    .orElse(0));
        }

        @Override
        public void savePlanned(List<Batch> planned) {
            Require.notNull("batches", planned);
            locked(() -> {
                Set<BatchId> ids = new HashSet<>();
                Set<String> indexes = new HashSet<>();
                Set<String> members = new HashSet<>();
                batchRows.values().forEach(row -> indexes.add(row.batch().campaignId() + "#" + row.batch().index()));
                for (Batch batch : planned) {
                    Require.notNull("batch", batch);
                    if (batch.status() != BatchStatus.PENDING) {
                        throw new IllegalArgumentException("a planned batch must be PENDING, batch " + batch.id() + " is "
                                + batch.status());
                    }
                    requireCampaign(batch.campaignId());
                    if (batchRows.containsKey(batch.id()) || !ids.add(batch.id())) {
                        throw new PlanningConflictException("batch " + batch.id() + " already exists");
                    }
                    if (!indexes.add(batch.campaignId() + "#" + batch.index())) {
                        throw new PlanningConflictException("index " + batch.index() + " of campaign " + batch.campaignId()
                                + " is taken");
                    }
                    for (Address address : batch.recipients()) {
                        Recipient r = rowsOf(batch.campaignId()).get(address);
                        if (r == null || r.status() != RecipientStatus.PENDING
                                || !members.add(batch.campaignId() + "#" + address)) {
                            throw new PlanningConflictException("recipient " + address + " of campaign " + batch.campaignId()
                                    + " is not PENDING (planned already?)");
                        }
                    }
                }
                for (Batch batch : planned) {
                    batchRows.put(batch.id(), new BatchRow(batch, null));
                    moveRecipients(batch.campaignId(), batch.recipients(), r -> recipientWith(r, RecipientStatus.PROCESSING,
                            r.tokenId(), r.txHash(), r.lastError()));
                }
                return null;
            });
        }

        @Override
        public List<PlannedBatch> planNext(CampaignId campaign, int firstIndex, List<BatchId> ids, int batchSize,
                Instant at) {
            Batches.requirePlanNextArguments(campaign, firstIndex, ids, batchSize, at);
            // Under the store's lock (reentrant), so what pending() hands out is what savePlanned stores.
            return locked(() -> {
                requireCampaign(campaign);
                List<Address> unplanned = recipients().pending(campaign, ids.size() * batchSize);
                List<Batch> planned = new ArrayList<>();
                for (int from = 0, i = 0; from < unplanned.size(); from += batchSize, i++) {
                    planned.add(Batch.planned(ids.get(i), campaign, firstIndex + i,
                            unplanned.subList(from, Math.min(from + batchSize, unplanned.size())), at));
                }
                savePlanned(planned);
                return planned.stream().map(b -> new PlannedBatch(b.id(), campaign, b.index(), b.run(),
                        b.recipients().size())).toList();
            });
        }

        @Override
        public Optional<Batch> find(BatchId id) {
            Require.notNull("id", id);
            return locked(() -> Optional.ofNullable(batchRows.get(id)).map(BatchRow::batch));
        }

        @Override
        public Optional<CampaignId> campaignOf(BatchId id) {
            Require.notNull("id", id);
            return locked(() -> Optional.ofNullable(batchRows.get(id)).map(row -> row.batch().campaignId()));
        }

        @Override
        public List<Batch> byCampaign(CampaignId campaign) {
            Require.notNull("campaign", campaign);
            return locked(() -> batchRows.values().stream()
                    .map(BatchRow::batch)
                    .filter(b -> b.campaignId().equals(campaign))
                    .sorted(Comparator.comparingInt(Batch::index))
                    .toList());
        }

        @Override
        public List<BatchOverview> overviews(CampaignId campaign, Optional<Integer> afterIndex, int limit) {
            Require.notNull("campaign", campaign);
            Require.notNull("afterIndex", afterIndex);
            Require.between("limit", limit, 1, 10_000);
            return byCampaign(campaign).stream()
                    .filter(b -> afterIndex.isEmpty() || b.index() > afterIndex.get())
                    .limit(limit)
                    .map(BatchOverview::of)
                    .toList();
        }

        @Override
        public FeesPaid feesPaid(CampaignId campaign) {
            FeesPaid sum = FeesPaid.NONE;
            for (Batch b : byCampaign(campaign)) {
                sum = sum.plus(BatchOverview.of(b));
            }
            return sum;
        }

        @Override
        public List<Batch> open(Optional<BatchId> after, int limit) {
            return page(BatchLifecycle.OPEN, after, limit);
        }

        @Override
        public List<Batch> failed(Optional<BatchId> after, int limit) {
            return page(java.util.Set.of(BatchStatus.FAILED), after, limit);
        }

        private List<Batch> page(java.util.Set<BatchStatus> statuses, Optional<BatchId> after, int limit) {
            Require.notNull("after", after);
            Require.between("limit", limit, 1, 10_000);
            return locked(() -> batchRows.values().stream()
                    .map(BatchRow::batch)
                    .filter(b -> statuses.contains(b.status()))
                    .filter(b -> after.isEmpty() || b.id().compareTo(after.get()) > 0)
                    .sorted(Comparator.comparing(Batch::id))
                    .limit(limit)
                    .toList());
        }

        @Override
        public Map<BatchStatus, Long> countByStatus(CampaignId campaign) {
            Require.notNull("campaign", campaign);
            return locked(() -> {
                Map<BatchStatus, Long> counts = new EnumMap<>(BatchStatus.class);
                for (BatchStatus s : BatchStatus.values()) {
                    counts.put(s, 0L);
                }
                batchRows.values().stream()
                        .map(BatchRow::batch)
                        .filter(b -> b.campaignId().equals(campaign))
                        .forEach(b -> counts.merge(b.status(), 1L, Long::sum));
                return Map.copyOf(counts);
            });
        }

        @Override
        public Optional<Batch> claim(Claim claim) {
            Require.notNull("claim", claim);
            return locked(() -> {
                BatchRow row = batchRows.get(claim.batchId());
                if (row == null || !BatchLifecycle.CLAIMABLE.contains(row.batch().status())) {
                    return Optional.empty();
                }
                if (row.batch().status() == BatchStatus.PENDING && campaignHalted(row.batch().campaignId())) {
                    return Optional.empty();
                }
                Lease lease = row.lease();
                boolean takenByOther = lease != null && !lease.worker().equals(claim.worker())
                        && lease.until().isAfter(claim.now());
                if (takenByOther) {
                    return Optional.empty();
                }
                Batch claimed = row.batch().claimed(claim.now());
                batchRows.put(claimed.id(), new BatchRow(claimed, new Lease(claim.worker(), claim.until())));
                return Optional.of(claimed);
            });
        }

        @Override
        public boolean release(Claim claim, Optional<String> waiting) {
            Require.notNull("claim", claim);
            Require.notNull("waiting", waiting);
            return locked(() -> {
                if (!holds(claim, BatchLifecycle.RELEASABLE)) {
                    return false;
                }
                Batch held = batchRows.get(claim.batchId()).batch();
                Batch released = waiting.isPresent() ? held.waiting(waiting.get(), claim.now()) : held.released(claim.now());
                batchRows.put(released.id(), new BatchRow(released, null));
                return true;
            });
        }

        @Override
        public boolean complete(BatchId id, MintReceipt receipt) {
            Require.notNull("id", id);
            Require.notNull("receipt", receipt);
            Batch.requireSuccessful(receipt);
            return locked(() -> {
                BatchRow row = batchRows.get(id);
                if (row == null) {
                    throw new IllegalArgumentException("batch " + id + " does not exist");
                }
                Batch b = row.batch();
                if (b.status() == BatchStatus.COMPLETED) {
                    return false;
                }
                Map<Address, MintedToken> byRecipient = b.tokensByRecipient(receipt);
                Batch completed = b.completed(receipt, clock.instant());
                moveRecipients(b.campaignId(), b.recipients(), r -> recipientWith(r, RecipientStatus.COMPLETED,
                        Optional.of(byRecipient.get(r.address()).tokenId()), Optional.of(receipt.hash()), Optional.empty()));
                batchRows.put(id, new BatchRow(completed, null));
                return true;
            });
        }

        @Override
        public boolean fail(Claim claim, String error) {
            Require.notNull("claim", claim);
            String reason = Require.text("error", error, 1, 10_000);
            return locked(() -> {
                if (!holds(claim, BatchLifecycle.FAILABLE)) {
                    return false;
                }
                Batch b = batchRows.get(claim.batchId()).batch();
                Batch failed = b.failed(reason, claim.now());
                moveRecipients(b.campaignId(), b.recipients(), r -> recipientWith(r, RecipientStatus.FAILED, r.tokenId(),
                        r.txHash(), Optional.of(reason)));
                batchRows.put(b.id(), new BatchRow(failed, null));
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("batchId", b.id().toString());
                data.put("index", (long) b.index());
                data.put("run", (long) b.run());
                data.put("error", reason);
                recordEvent(WebhookEventType.BATCH_FAILED, b.campaignId(), data);
                return true;
            });
        }

        @Override
        public int cancelPending(CampaignId campaign) {
            Require.notNull("campaign", campaign);
            return locked(() -> {
                List<Batch> pending = batchRows.values().stream().map(BatchRow::batch)
                        .filter(b -> b.campaignId().equals(campaign) && BatchLifecycle.CANCELLABLE.contains(b.status()))
                        .toList();
                pending.forEach(InMemoryStorage.this::dissolve);
                return pending.size();
            });
        }

        @Override
        public boolean withdraw(Claim claim) {
            Require.notNull("claim", claim);
            return locked(() -> {
                if (!holds(claim, BatchLifecycle.WITHDRAWABLE)) {
                    return false;
                }
                dissolve(batchRows.get(claim.batchId()).batch());
                return true;
            });
        }

        @Override
        public Optional<Batch> requeue(BatchId id) {
            Require.notNull("id", id);
            return locked(() -> {
                BatchRow row = batchRows.get(id);
                if (row == null || !BatchLifecycle.RETRYABLE.contains(row.batch().status())) {
                    return Optional.empty();
                }
                Batch b = row.batch();
                Batch requeued = b.requeued(clock.instant());
                moveRecipients(b.campaignId(), b.recipients(), r -> recipientWith(r, RecipientStatus.PROCESSING, r.tokenId(),
                        r.txHash(), r.lastError()));
                batchRows.put(id, new BatchRow(requeued, null));
                return Optional.of(requeued);
            });
        }
    }

    /** CANCELLED, lease cleared, recipients PENDING (unplanned) again; under the lock. */
    private void dissolve(Batch batch) {
        Batch cancelled = batch.cancelled(clock.instant());
        moveRecipients(batch.campaignId(), batch.recipients(), r -> recipientWith(r, RecipientStatus.PENDING, r.tokenId(),
                r.txHash(), Optional.empty()));
        batchRows.put(batch.id(), new BatchRow(cancelled, null));
    }

    /** Whether the campaign is paused or cancelled; under the lock. */
    private boolean campaignHalted(CampaignId campaign) {
        Campaign row = campaignRows.get(campaign);
        return row != null && row.status().isHalted();
    }

    private final class Ledger implements TransactionLedger {

        @Override
        public Optional<StoredTransaction> writeAheadWithin(Claim claim, Address wallet, int maxInFlight, long minedBelow,
                LongFunction<SignedTransaction> signer) {
            Require.notNull("claim", claim);
            Require.notNull("wallet", wallet);
            Require.notNull("signer", signer);
            Require.positive("maxInFlight", maxInFlight);
            return locked(() -> {
                BatchRow row = heldBy(claim, BatchLifecycle.SUBMITTABLE);
                if (row.batch().status() == BatchStatus.PROCESSING && campaignHalted(row.batch().campaignId())) {
                    throw new CampaignHaltedException(claim.batchId(), campaignRows.get(row.batch().campaignId()).status());
                }
                if (inFlightBesides(wallet, claim.batchId(), minedBelow) >= maxInFlight) {
                    return Optional.<StoredTransaction>empty();
                }
                long nonce = nonceCounters.getOrDefault(wallet, 0L);
                // The signer runs inside the lock, as it would inside the database transaction: if it throws, the
                // counter has not moved and nothing is stored.
                SignedTransaction signed = signer.apply(nonce);
                if (signed == null) {
                    throw new IllegalStateException("signer returned no transaction for nonce " + nonce);
                }
                if (signed.nonce() != nonce || !signed.from().equals(wallet)) {
                    throw new IllegalStateException("signer produced a transaction from " + signed.from() + " at nonce "
                            + signed.nonce() + ", but the ledger allocated nonce " + nonce + " of " + wallet);
                }
                requireNonceFree(wallet, nonce, claim.batchId());
                StoredTransaction stored = new StoredTransaction(claim.batchId(), row.batch().run(), signed, clock.instant());
                transactionRows.computeIfAbsent(claim.batchId(), id -> new ArrayList<>()).add(stored);
                Batch submitted = row.batch().submitted(nonce, clock.instant());
                batchRows.put(submitted.id(), new BatchRow(submitted, row.lease()));
                nonceCounters.put(wallet, nonce + 1);
                return Optional.of(stored);
            });
        }

        private long inFlightBesides(Address wallet, BatchId batch, long minedBelow) {
            return transactionRows.entrySet().stream()
                    .filter(e -> !e.getKey().equals(batch))
                    .filter(e -> e.getValue().stream().anyMatch(tx -> tx.transaction().from().equals(wallet)))
                    .filter(e -> e.getValue().getLast().nonce() >= minedBelow)
                    .map(e -> batchRows.get(e.getKey()))
                    .filter(r -> r != null && r.batch().status() == BatchStatus.SUBMITTED)
                    .count();
        }

        private void requireNonceFree(Address wallet, long nonce, BatchId owner) {
            for (List<StoredTransaction> txs : transactionRows.values()) {
                for (StoredTransaction tx : txs) {
                    if (tx.transaction().from().equals(wallet) && tx.nonce() == nonce && !tx.batchId().equals(owner)) {
                        throw new IllegalStateException("nonce " + nonce + " of " + wallet + " is already held by batch "
                                + tx.batchId());
                    }
                }
            }
        }

        @Override
        public StoredTransaction recordReplacement(Claim claim, SignedTransaction replacement) {
            Require.notNull("claim", claim);
            Require.notNull("replacement", replacement);
            return locked(() -> {
                BatchRow row = heldBy(claim, BatchLifecycle.SUBMITTABLE);
                List<StoredTransaction> stored = transactionRows.getOrDefault(claim.batchId(), List.of());
                if (stored.isEmpty()) {
                    throw new IllegalArgumentException("batch " + claim.batchId() + " has no transaction to replace");
                }
                StoredTransaction latest = stored.getLast();
                if (latest.nonce() != replacement.nonce() || !latest.transaction().from().equals(replacement.from())) {
                    throw new IllegalArgumentException("a replacement must keep nonce " + latest.nonce() + " of "
                            + latest.transaction().from() + ", got nonce " + replacement.nonce() + " of "
                            + replacement.from());
                }
                for (StoredTransaction tx : stored) {
                    if (tx.hash().equals(replacement.hash())) {
                        return tx;
                    }
                }
                StoredTransaction entry = new StoredTransaction(claim.batchId(), row.batch().run(), replacement,
                        clock.instant());
                transactionRows.get(claim.batchId()).add(entry);
                Batch submitted = row.batch().submitted(replacement.nonce(), clock.instant());
                batchRows.put(submitted.id(), new BatchRow(submitted, row.lease()));
                return entry;
            });
        }

        @Override
        public List<StoredTransaction> forBatch(BatchId batchId) {
            Require.notNull("batchId", batchId);
            return locked(() -> List.copyOf(transactionRows.getOrDefault(batchId, List.of())));
        }

        @Override
        public Map<BatchId, List<StoredTransaction>> forBatches(java.util.Collection<BatchId> batchIds) {
            Require.notNull("batchIds", batchIds);
            Require.between("batchIds.size", batchIds.size(), 0, 10_000);
            return locked(() -> {
                Map<BatchId, List<StoredTransaction>> found = new HashMap<>();
                for (BatchId id : batchIds) {
                    List<StoredTransaction> rows = transactionRows.getOrDefault(Require.notNull("batchId", id), List.of());
                    if (!rows.isEmpty()) {
                        found.put(id, List.copyOf(rows));
                    }
                }
                return Map.copyOf(found);
            });
        }

        @Override
        public int inFlight(Address wallet) {
            Require.notNull("wallet", wallet);
            return locked(() -> (int) transactionRows.entrySet().stream()
                    .filter(e -> e.getValue().stream().anyMatch(tx -> tx.transaction().from().equals(wallet)))
                    .map(e -> batchRows.get(e.getKey()))
                    .filter(row -> row != null && row.batch().status() == BatchStatus.SUBMITTED)
                    .count());
        }

        @Override
        public long nextNonce(Address wallet) {
            Require.notNull("wallet", wallet);
            return locked(() -> nonceCounters.getOrDefault(wallet, 0L));
        }

        @Override
        public void resyncNonce(Address wallet, long chainPendingNonce) {
            Require.notNull("wallet", wallet);
            if (chainPendingNonce < 0) {
                throw new IllegalArgumentException("chainPendingNonce must not be negative, got " + chainPendingNonce);
            }
            locked(() -> {
                long highestStored = transactionRows.values().stream()
                        .flatMap(List::stream)
                        .filter(tx -> tx.transaction().from().equals(wallet))
                        .mapToLong(StoredTransaction::nonce)
                        .max()
                        .orElse(-1);
                long highestFiller = fillerRows.stream()
                        .filter(f -> f.wallet().equals(wallet))
                        .mapToLong(FillerTransaction::nonce)
                        .max()
                        .orElse(-1);
                nonceCounters.put(wallet, Math.max(chainPendingNonce, Math.max(highestStored, highestFiller) + 1));
                return null;
            });
        }

        @Override
        public List<StoredTransaction> transactionsFrom(Address wallet, long fromNonce) {
            Require.notNull("wallet", wallet);
            requireNotNegative("fromNonce", fromNonce);
            // Rows are appended in the order stored, so a stable sort by nonce keeps that order within a nonce.
            return locked(() -> transactionRows.values().stream()
                    .flatMap(List::stream)
                    .filter(tx -> tx.transaction().from().equals(wallet) && tx.nonce() >= fromNonce)
                    .sorted(Comparator.comparingLong(StoredTransaction::nonce)
                            .thenComparing(StoredTransaction::recordedAt))
                    .toList());
        }

        @Override
        public FillerTransaction recordFiller(FillerTransaction filler) {
            Require.notNull("filler", filler);
            return locked(() -> {
                for (FillerTransaction earlier : fillerRows) {
                    if (earlier.hash().equals(filler.hash())) {
                        return earlier;
                    }
                }
                long next = nonceCounters.getOrDefault(filler.wallet(), 0L);
                if (filler.nonce() >= next) {
                    throw new IllegalArgumentException("nonce " + filler.nonce() + " of " + filler.wallet()
                            + " was never handed out (the next is " + next + "); only a used nonce is filled");
                }
                fillerRows.add(filler);
                return filler;
            });
        }

        @Override
        public List<FillerTransaction> fillersFrom(Address wallet, long fromNonce) {
            Require.notNull("wallet", wallet);
            requireNotNegative("fromNonce", fromNonce);
            return locked(() -> fillerRows.stream()
                    .filter(f -> f.wallet().equals(wallet) && f.nonce() >= fromNonce)
                    .sorted(Comparator.comparingLong(FillerTransaction::nonce))
                    .toList());
        }

        private static void requireNotNegative(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
        }
    }

    private final class WebhookStore implements Webhooks {

        @Override
        public void create(Webhook webhook) {
            Require.notNull("webhook", webhook);
            locked(() -> {
                if (webhookRows.putIfAbsent(webhook.id(), webhook) != null) {
                    throw new IllegalStateException("webhook " + webhook.id() + " exists");
                }
                return null;
            });
        }

        @Override
        public Optional<Webhook> find(WebhookId id) {
            Require.notNull("id", id);
            return locked(() -> Optional.ofNullable(webhookRows.get(id)));
        }

        @Override
        public List<Webhook> byOwner(Fid owner) {
            Require.notNull("owner", owner);
            return locked(() -> webhookRows.values().stream().filter(w -> w.owner().equals(owner))
                    .sorted(Comparator.comparing(Webhook::createdAt).thenComparing(w -> w.id().value().toString()))
                    .toList());
        }

        @Override
        public boolean delete(WebhookId id) {
            Require.notNull("id", id);
            return locked(() -> {
                if (webhookRows.remove(id) == null) {
                    return false;
                }
                deliveryRows.values().removeIf(d -> d.webhookId().equals(id));
                attemptRows.removeIf(a -> a.webhookId().equals(id));
                return true;
            });
        }

        @Override
        public Optional<WebhookEvent> recordTest(WebhookId id, Instant now) {
            Require.notNull("id", id);
            Require.notNull("now", now);
            return locked(() -> {
                if (!webhookRows.containsKey(id)) {
                    return Optional.empty();
                }
                WebhookEvent event = new WebhookEvent(UUID.randomUUID(), WebhookEventType.WEBHOOK_TEST, Optional.empty(),
                        now, Map.of("webhookId", id.toString()));
                eventRows.add(new EventRow(event, Optional.of(id), true));
                long deliveryId = nextDeliveryId++;
                deliveryRows.put(deliveryId, new DeliveryRow(deliveryId, event.id(), id, "PENDING", 0, now, null));
                return Optional.of(event);
            });
        }

        @Override
        public List<WebhookEvent> eventsOf(CampaignId campaign) {
            Require.notNull("campaign", campaign);
            return locked(() -> eventRows.stream().map(EventRow::event)
                    .filter(e -> e.campaignId().equals(Optional.of(campaign))).toList());
        }

        @Override
        public int dispatch(Instant now, int limit) {
            Require.notNull("now", now);
            Require.atLeast("limit", limit, 1);
            return locked(() -> {
                int dispatched = 0;
                for (int i = 0; i < eventRows.size() && dispatched < limit; i++) {
                    EventRow row = eventRows.get(i);
                    if (row.dispatched()) {
                        continue;
                    }
                    WebhookEvent event = row.event();
                    CampaignId campaign = event.campaignId().orElseThrow();
                    Campaign owner = campaignRows.get(campaign);
                    for (Webhook webhook : webhookRows.values()) {
                        if (owner != null && webhook.matches(event.type(), campaign, owner.owner())) {
                            long deliveryId = nextDeliveryId++;
                            deliveryRows.put(deliveryId, new DeliveryRow(deliveryId, event.id(), webhook.id(), "PENDING",
                                    0, now, null));
                        }
                    }
                    eventRows.set(i, new EventRow(event, row.target(), true));
                    dispatched++;
                }
                return dispatched;
            });
        }

        @Override
        public List<DueDelivery> claimDue(Instant now, Duration lease, int limit) {
            Require.notNull("now", now);
            Require.positive("lease", lease);
            Require.atLeast("limit", limit, 1);
            return locked(() -> {
                List<DeliveryRow> due = deliveryRows.values().stream()
                        .filter(d -> d.status().equals("PENDING") && !d.dueAt().isAfter(now)
                                && (d.leasedUntil() == null || !d.leasedUntil().isAfter(now)))
                        .sorted(Comparator.comparing(DeliveryRow::dueAt).thenComparingLong(DeliveryRow::id))
                        .limit(limit)
                        .toList();
                List<DueDelivery> claimed = new ArrayList<>();
                for (DeliveryRow d : due) {
                    DeliveryRow leased = new DeliveryRow(d.id(), d.eventId(), d.webhookId(), d.status(), d.attempts() + 1,
                            d.dueAt(), now.plus(lease));
                    deliveryRows.put(d.id(), leased);
                    WebhookEvent event = eventRows.stream().map(EventRow::event)
                            .filter(e -> e.id().equals(d.eventId())).findFirst().orElseThrow();
                    claimed.add(new DueDelivery(d.id(), webhookRows.get(d.webhookId()), event, leased.attempts()));
                }
                return claimed;
            });
        }

        @Override
        public boolean recordAttempt(long deliveryId, WebhookAttempt attempt, Optional<Instant> retryAt) {
            Require.notNull("attempt", attempt);
            Require.notNull("retryAt", retryAt);
            if (retryAt.isPresent() != (attempt.outcome() == WebhookAttempt.Outcome.RETRYING)) {
                throw new IllegalArgumentException("retryAt must be present exactly when the outcome is RETRYING");
            }
            return locked(() -> {
                DeliveryRow d = deliveryRows.get(deliveryId);
                if (d == null || !d.status().equals("PENDING")) {
                    return false;
                }
                String status = switch (attempt.outcome()) {
                    case DELIVERED -> "DELIVERED";
                    case FAILED -> "FAILED";
                    case RETRYING -> "PENDING";
                };
                deliveryRows.put(deliveryId, new DeliveryRow(d.id(), d.eventId(), d.webhookId(), status, d.attempts(),
                        retryAt.orElse(d.dueAt()), null));
                WebhookAttempt stored = new WebhookAttempt(nextAttemptSequence++, attempt.eventId(), attempt.type(),
                        attempt.attempt(), attempt.statusCode(), attempt.error(), attempt.duration(), attempt.at(),
                        attempt.outcome());
                attemptRows.add(new AttemptRow(d.webhookId(), stored));
                return true;
            });
        }

        @Override
        public List<WebhookAttempt> attempts(WebhookId id, Optional<Long> before, int limit) {
            Require.notNull("id", id);
            Require.notNull("before", before);
            Require.atLeast("limit", limit, 1);
            return locked(() -> attemptRows.stream()
                    .filter(a -> a.webhookId().equals(id))
                    .map(AttemptRow::attempt)
                    .filter(a -> before.map(b -> a.sequence() < b).orElse(true))
                    .sorted(Comparator.comparingLong(WebhookAttempt::sequence).reversed())
                    .limit(limit)
                    .toList());
        }
    }

    private final class IdempotencyStore implements IdempotencyRecords {

        @Override
        public Optional<Record> find(Fid caller, String key) {
            Require.notNull("caller", caller);
            Require.notNull("key", key);
            return locked(() -> Optional.ofNullable(idempotencyRows.get(new IdempotencyKey(caller, key))));
        }

        @Override
        public Record putIfAbsent(Fid caller, String key, Record record) {
            Require.notNull("caller", caller);
            Require.text("key", key, 1, 255);
            Require.notNull("record", record);
            return locked(() -> {
                Record earlier = idempotencyRows.putIfAbsent(new IdempotencyKey(caller, key), record);
                return earlier == null ? record : earlier;
            });
        }
    }
}
