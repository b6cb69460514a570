package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.internal.Hex;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the storage contracts: one abstract fixture method and the helpers the contracts share.
 *
 * <p>Implement {@link #newStorage()} to return the five ports of a store; it is called before every test. The store may
 * hold data from other tests (every test uses fresh random campaign ids, owners and wallets), but it must be one store: the
 * ports see each other's writes. Not thread-safe itself; the tests it runs start their own threads where they test races.
 */
public abstract class StorageContract {

    /** The lease the contracts claim batches for. */
    protected static final Duration LEASE = Duration.ofMinutes(2);
    /** Claim times in the contracts start here; leases are judged by the claim's own {@code now}, not a clock. */
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The store under test for the current test. */
    protected StorageFixture store;

    /**
     * Returns the ports of a store to test. Called before each test.
     *
     * @return never null
     */
    protected abstract StorageFixture newStorage();

    @BeforeEach
    protected final void openStore() {
        store = newStorage();
    }

    /** A random owner, so tests sharing a store never see each other's campaigns. */
    protected static Fid randomOwner() {
        return new Fid(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    }

    /** A random, non-zero address. */
    protected static Address randomAddress() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1;
        return Address.ofBytes(bytes);
    }

    protected static TxHash randomHash() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return new TxHash(Hex.encode(bytes));
    }

    /** A new DRAFT campaign, stored. */
    protected Campaign newCampaign(Fid owner) {
        Campaign campaign = Campaign.draft(new CampaignId(UUID.randomUUID()), owner, "Contract test", "CT",
                "a campaign made by a port contract test", "ipfs://contract/", ChainId.BASE, T0);
        store.campaigns().create(campaign);
        return campaign;
    }

    protected Campaign newCampaign() {
        return newCampaign(randomOwner());
    }

    /** Adds {@code count} fresh PENDING recipients; returns their addresses in the order added. */
    protected List<Address> addRecipients(CampaignId campaign, int count) {
        List<Address> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(randomAddress());
        }
        store.recipients().addAll(campaign, addresses.stream().map(NewRecipient::of).iterator());
        return addresses;
    }

    /** A PENDING batch of {@code recipients} at the campaign's next index (not saved). */
    protected Batch batchOf(CampaignId campaign, List<Address> recipients) {
        return Batch.planned(new BatchId(UUID.randomUUID()), campaign, store.batches().nextIndex(campaign), recipients, T0);
    }

    /** A new campaign with {@code size} recipients planned into one saved PENDING batch. */
    protected Batch plannedBatch(int size) {
        Campaign campaign = newCampaign();
        Batch batch = batchOf(campaign.id(), addRecipients(campaign.id(), size));
        store.batches().savePlanned(List.of(batch));
        return batch;
    }

    /** Moves a DRAFT campaign to PROCESSING and then, unless it is PROCESSING, to {@code status} (PAUSED, CANCELLED). */
    protected void moveCampaign(CampaignId campaign, CampaignStatus status) {
        store.campaigns().updateStatus(campaign, CampaignStatus.DRAFT, CampaignStatus.PROCESSING);
        if (status != CampaignStatus.PROCESSING) {
            assertThat(store.campaigns().updateStatus(campaign, CampaignStatus.PROCESSING, status)).isTrue();
        }
    }

    /** A claim by {@code worker} made at {@code now}, for {@link #LEASE}. */
    protected static Claim claimAt(Batch batch, String worker, Instant now) {
        return new Claim(batch.id(), worker, now, now.plus(LEASE));
    }

    /** A successful receipt minting token ids {@code firstToken, firstToken + 1, …} to the batch's recipients. */
    protected static MintReceipt receiptFor(Batch batch, long firstToken) {
        List<MintedToken> tokens = new ArrayList<>();
        for (int i = 0; i < batch.recipients().size(); i++) {
            tokens.add(new MintedToken(batch.recipients().get(i), TokenId.of(firstToken + i)));
        }
        return new MintReceipt(randomHash(), true, 1_000 + firstToken, 21_000 + 35_000L * tokens.size(), tokens,
                ChainFailure.NONE);
    }

    /** A stand-in signed transaction: what the ledger stores does not depend on the bytes meaning anything. */
    protected static SignedTransaction signedTx(Address wallet, long nonce, long feeGwei) {
        byte[] raw = new byte[48];
        ThreadLocalRandom.current().nextBytes(raw);
        return new SignedTransaction(randomHash(), Hex.encode(raw), wallet, nonce, 300_000,
                new Fees(Wei.gwei(feeGwei), Wei.gwei(1)));
    }

    /**
     * Runs {@code task} on {@code threads} threads released together, and returns their results in thread order.
     * Exceptions thrown by a task fail the test with that exception.
     */
    protected static <T> List<T> race(int threads, IndexedTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<T> call = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A task run by thread {@code index} of a {@link #race}. */
    @FunctionalInterface
    protected interface IndexedTask<T> {
        T run(int index) throws Exception;
    }
}
