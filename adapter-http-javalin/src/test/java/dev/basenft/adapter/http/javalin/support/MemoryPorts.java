package dev.basenft.adapter.http.javalin.support;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.CollectionFactory;
import dev.basenft.core.port.out.DeploymentCheck;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.IdGenerator;
import dev.basenft.core.port.out.IdempotencyRecords;
import dev.basenft.core.port.out.JobOutcome;
import dev.basenft.core.port.out.PlanningConflictException;
import dev.basenft.core.port.out.Recipients;
import dev.basenft.core.port.out.TransactionLedger;
import dev.basenft.core.port.out.UnsignedCall;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * Minimal in-memory implementations of the out-ports {@code CampaignService} uses on the HTTP paths, so the API tests run
 * against the real service. Written for this module's tests until core's test-jar ships its own in-memory ports
 * ({@code dev.basenft.core.testing}); the worker-side operations (claim, complete, write-ahead, take) are not needed here and
 * throw. Every method is synchronized on the instance: thread-safe, not fast.
 */
public final class MemoryPorts {

    public final MemoryCampaigns campaigns = new MemoryCampaigns();
    public final MemoryRecipients recipients = new MemoryRecipients();
    public final MemoryBatches batches = new MemoryBatches(recipients);
    public final MemoryLedger ledger = new MemoryLedger();
    public final MemoryQueue queue = new MemoryQueue();
    public final FakeFactory factory = new FakeFactory();
    public final SequentialIds ids = new SequentialIds();
    public final MemoryIdempotency idempotency = new MemoryIdempotency();

    /** Campaigns by id. */
    public static final class MemoryCampaigns implements Campaigns {
        private final Map<CampaignId, Campaign> byId = new HashMap<>();

        @Override
        public synchronized void create(Campaign campaign) {
            if (byId.putIfAbsent(campaign.id(), campaign) != null) {
                throw new IllegalStateException("campaign " + campaign.id() + " exists");
            }
        }

        @Override
        public synchronized Optional<Campaign> find(CampaignId id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public synchronized List<Campaign> listByOwner(Fid owner, Optional<CampaignId> after, int limit) {
            return byId.values().stream()
                    .filter(c -> c.owner().equals(owner))
                    .filter(c -> after.isEmpty() || c.id().compareTo(after.get()) > 0)
                    .sorted(Comparator.comparing(Campaign::id))
                    .limit(limit)
                    .toList();
        }

        @Override
        public synchronized boolean attachContract(CampaignId id, Address contract) {
            Campaign c = byId.get(id);
            if (c == null || c.contract().isPresent()) {
                return false;
            }
            byId.put(id, c.withContract(contract));
            return true;
        }

        @Override
        public synchronized boolean updateStatus(CampaignId id, CampaignStatus expected, CampaignStatus next) {
            Campaign c = byId.get(id);
            if (c == null || c.status() != expected) {
                return false;
            }
            byId.put(id, c.withStatus(next));
            return true;
        }

        public synchronized int size() {
            return byId.size();
        }
    }

    /** Recipients per campaign, in insertion order. */
    public static final class MemoryRecipients implements Recipients {
        private final Map<CampaignId, LinkedHashMap<Address, Recipient>> byCampaign = new HashMap<>();
        private long addAllCalls;

        @Override
        public synchronized IngestResult addAll(CampaignId campaign, Iterator<NewRecipient> incoming) {
            addAllCalls++;
            LinkedHashMap<Address, Recipient> existing = byCampaign.computeIfAbsent(campaign, c -> new LinkedHashMap<>());
            // Stage first, so a failure while iterating leaves nothing behind (all or nothing).
            LinkedHashMap<Address, Recipient> staged = new LinkedHashMap<>();
            long duplicates = 0;
            while (incoming.hasNext()) {
                NewRecipient r = incoming.next();
                if (existing.containsKey(r.address()) || staged.containsKey(r.address())) {
                    duplicates++;
                } else {
                    staged.put(r.address(), Recipient.pending(campaign, r.address(), r.fid()));
                }
            }
            existing.putAll(staged);
            return new IngestResult(staged.size(), duplicates);
        }

        @Override
        public synchronized List<Address> pending(CampaignId campaign, int limit) {
            return all(campaign).stream().filter(r -> r.status() == RecipientStatus.PENDING).map(Recipient::address)
                    .limit(limit).toList();
        }

        @Override
        public synchronized Optional<Recipient> find(CampaignId campaign, Address address) {
            return Optional.ofNullable(byCampaign.getOrDefault(campaign, new LinkedHashMap<>()).get(address));
        }

        @Override
        public synchronized List<Recipient> list(CampaignId campaign, Optional<RecipientStatus> status,
                Optional<Address> after, int limit) {
            return all(campaign).stream()
                    .filter(r -> status.isEmpty() || r.status() == status.get())
                    .filter(r -> after.isEmpty() || r.address().compareTo(after.get()) > 0)
                    .sorted(Comparator.comparing(Recipient::address))
                    .limit(limit)
                    .toList();
        }

        @Override
        public synchronized Map<RecipientStatus, Long> countByStatus(CampaignId campaign) {
            Map<RecipientStatus, Long> counts = new EnumMap<>(RecipientStatus.class);
            for (RecipientStatus s : RecipientStatus.values()) {
                counts.put(s, 0L);
            }
            all(campaign).forEach(r -> counts.merge(r.status(), 1L, Long::sum));
            return counts;
        }

        /** How many recipients the campaign holds, whatever their status. */
        public synchronized int count(CampaignId campaign) {
            return all(campaign).size();
        }

        /** How often addAll was called at all (an all-or-nothing refusal must not reach it). */
        public synchronized long addAllCalls() {
            return addAllCalls;
        }

        synchronized void setStatus(CampaignId campaign, List<Address> addresses, RecipientStatus status, String error) {
            LinkedHashMap<Address, Recipient> map = byCampaign.get(campaign);
            for (Address a : addresses) {
                Recipient r = map.get(a);
                map.put(a, new Recipient(campaign, a, r.fid(), status, r.tokenId(), r.txHash(), Optional.ofNullable(error)));
            }
        }

        private List<Recipient> all(CampaignId campaign) {
            return new ArrayList<>(byCampaign.getOrDefault(campaign, new LinkedHashMap<>()).values());
        }
    }

    /** Batches, planned and requeued; worker operations throw. */
    public static final class MemoryBatches implements Batches {
        private final MemoryRecipients recipients;
        private final Map<BatchId, Batch> byId = new LinkedHashMap<>();

        MemoryBatches(MemoryRecipients recipients) {
            this.recipients = recipients;
        }

        @Override
        public synchronized int nextIndex(CampaignId campaign) {
            return byCampaign(campaign).stream().mapToInt(Batch::index).max().orElse(-1) + 1;
        }

        @Override
        public synchronized void savePlanned(List<Batch> planned) {
            Set<Integer> taken = new HashSet<>();
            for (Batch b : planned) {
                byCampaign(b.campaignId()).forEach(existing -> taken.add(existing.index()));
                if (!taken.add(b.index())) {
                    throw new PlanningConflictException("index " + b.index() + " is taken");
                }
                for (Address a : b.recipients()) {
                    if (recipients.find(b.campaignId(), a).map(Recipient::status).orElse(null) != RecipientStatus.PENDING) {
                        throw new PlanningConflictException("recipient " + a + " is not PENDING");
                    }
                }
            }
            for (Batch b : planned) {
                byId.put(b.id(), b);
                recipients.setStatus(b.campaignId(), b.recipients(), RecipientStatus.PROCESSING, null);
            }
        }

        @Override
        public synchronized Optional<Batch> find(BatchId id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public synchronized List<Batch> byCampaign(CampaignId campaign) {
            return byId.values().stream().filter(b -> b.campaignId().equals(campaign))
                    .sorted(Comparator.comparingInt(Batch::index)).toList();
        }

        @Override
        public synchronized Map<BatchStatus, Long> countByStatus(CampaignId campaign) {
            Map<BatchStatus, Long> counts = new EnumMap<>(BatchStatus.class);
            for (BatchStatus s : BatchStatus.values()) {
                counts.put(s, 0L);
            }
            byCampaign(campaign).forEach(b -> counts.merge(b.status(), 1L, Long::sum));
            return counts;
        }

        @Override
        public Optional<Batch> claim(Claim claim) {
            throw new UnsupportedOperationException("worker operation; not used by the HTTP API");
        }

        @Override
        public boolean release(Claim claim) {
            throw new UnsupportedOperationException("worker operation; not used by the HTTP API");
        }

        @Override
        public boolean complete(BatchId id, MintReceipt receipt) {
            throw new UnsupportedOperationException("worker operation; not used by the HTTP API");
        }

        @Override
        public boolean fail(Claim claim, String error) {
            throw new UnsupportedOperationException("worker operation; not used by the HTTP API");
        }

        @Override
        public synchronized Optional<Batch> requeue(BatchId id) {
            Batch b = byId.get(id);
            if (b == null || b.status() != BatchStatus.FAILED) {
                return Optional.empty();
            }
            Batch again = new Batch(b.id(), b.campaignId(), b.index(), b.key(), b.recipients(), BatchStatus.PENDING,
                    b.attempts(), b.run() + 1, b.nonce(), b.gasUsed(), b.blockNumber(), b.error(), b.updatedAt());
            byId.put(id, again);
            recipients.setStatus(b.campaignId(), b.recipients(), RecipientStatus.PROCESSING, null);
            return Optional.of(again);
        }

        /** What a worker would leave after a reverted mint: the batch and its recipients FAILED with {@code error}. */
        public synchronized Batch markFailed(BatchId id, String error, int attempts) {
            Batch b = byId.get(id);
            Batch failed = new Batch(b.id(), b.campaignId(), b.index(), b.key(), b.recipients(), BatchStatus.FAILED,
                    attempts, b.run(), Optional.of(7L), Optional.empty(), Optional.empty(), Optional.of(error),
                    b.updatedAt());
            byId.put(id, failed);
            recipients.setStatus(b.campaignId(), b.recipients(), RecipientStatus.FAILED, error);
            return failed;
        }
    }

    /** The ledger's read side; transactions are added by tests. */
    public static final class MemoryLedger implements TransactionLedger {
        private final Map<BatchId, List<StoredTransaction>> byBatch = new HashMap<>();

        @Override
        public StoredTransaction writeAhead(Claim claim, Address wallet, LongFunction<SignedTransaction> signer) {
            throw new UnsupportedOperationException("worker operation; not used by the HTTP API");
        }

        @Override
        public StoredTransaction recordReplacement(Claim claim, SignedTransaction replacement) {
            throw new UnsupportedOperationException("worker operation; not used by the HTTP API");
        }

        @Override
        public synchronized List<StoredTransaction> forBatch(BatchId batchId) {
            return List.copyOf(byBatch.getOrDefault(batchId, List.of()));
        }

        @Override
        public int inFlight(Address wallet) {
            return 0;
        }

        @Override
        public long nextNonce(Address wallet) {
            return 0;
        }

        @Override
        public void resyncNonce(Address wallet, long chainPendingNonce) {
        }

        public synchronized void add(StoredTransaction tx) {
            byBatch.computeIfAbsent(tx.batchId(), b -> new ArrayList<>()).add(tx);
        }
    }

    /** Records enqueued job ids; never hands out jobs. */
    public static final class MemoryQueue implements DistributionQueue {
        private final Set<String> jobIds = new LinkedHashSet<>();

        @Override
        public synchronized void enqueue(Batch batch) {
            jobIds.add(batch.jobId());
        }

        @Override
        public Optional<DistributionJob> take(Duration maxWait) {
            return Optional.empty();
        }

        @Override
        public void finish(DistributionJob job, JobOutcome outcome) {
            throw new UnsupportedOperationException("worker operation; not used by the HTTP API");
        }

        @Override
        public void close() {
        }

        public synchronized Set<String> jobIds() {
            return Set.copyOf(jobIds);
        }
    }

    /** A factory whose deployment check the test decides. */
    public static final class FakeFactory implements CollectionFactory {
        public static final Address FACTORY = Address.parse("0x00000000000000000000000000000000000fac70");
        private final AtomicReference<DeploymentCheck> next = new AtomicReference<>(new DeploymentCheck.NotMined());
        private volatile boolean minterHasRole = true;

        @Override
        public UnsignedCall deployCall(Campaign campaign) {
            return new UnsignedCall(campaign.chainId(), FACTORY, "0xdeadbeef" + campaign.id().toString().replace("-", ""),
                    Wei.ZERO);
        }

        @Override
        public DeploymentCheck verifyDeployment(TxHash deployTransaction) {
            return next.get();
        }

        @Override
        public boolean minterHasRole(Address collection) {
            return minterHasRole;
        }

        public void answer(DeploymentCheck check) {
            next.set(check);
        }

        public void minterHasRole(boolean value) {
            minterHasRole = value;
        }
    }

    /** Ids from a counter: deterministic, and in creation order. */
    public static final class SequentialIds implements IdGenerator {
        private final AtomicLong next = new AtomicLong(1);

        @Override
        public CampaignId newCampaignId() {
            return new CampaignId(new UUID(0x1000L, next.getAndIncrement()));
        }

        @Override
        public BatchId newBatchId() {
            return new BatchId(new UUID(0x2000L, next.getAndIncrement()));
        }
    }

    /** Idempotency records per caller and key. */
    public static final class MemoryIdempotency implements IdempotencyRecords {
        private final Map<String, Record> records = new ConcurrentHashMap<>();

        @Override
        public Optional<Record> find(Fid caller, String key) {
            return Optional.ofNullable(records.get(caller + "\u0000" + key));
        }

        @Override
        public Record putIfAbsent(Fid caller, String key, Record record) {
            Record earlier = records.putIfAbsent(caller + "\u0000" + key, record);
            return earlier == null ? record : earlier;
        }

        public int size() {
            return records.size();
        }
    }

    /** A chain id for the tests: Base Sepolia. */
    public static final ChainId CHAIN = new ChainId(84532);

    /** A fixed instant for stored transactions. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
}
