package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.port.in.AttachContractUseCase.AttachContractCommand;
import dev.basenft.core.port.in.AttachContractUseCase.AttachResult;
import dev.basenft.core.port.in.AddRecipientsUseCase.AddRecipientsCommand;
import dev.basenft.core.port.in.CreateCampaignUseCase.CreateCampaignCommand;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.in.StartDistributionUseCase.StartDistributionCommand;
import dev.basenft.core.testing.FakeChain;
import dev.basenft.core.testing.InMemoryDistributionQueue;
import dev.basenft.core.testing.InMemoryStorage;
import dev.basenft.core.testing.MutableClock;
import dev.basenft.core.testing.SequentialIds;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One deployment of base-nft in memory: stores, queue, fake chain, the campaign service, and worker processes that can be
 * started, crashed and restarted against them. Not thread-safe; one per test.
 */
final class Harness {

    final MutableClock clock = new MutableClock();
    final SequentialIds ids = new SequentialIds();
    final InMemoryStorage storage = new InMemoryStorage(clock);
    final FakeChain chain = new FakeChain();
    final DistributionSettings settings;
    final InMemoryDistributionQueue queue;
    final CampaignService service;
    final Fid owner = new Fid(1001);
    private final Address creator = Address.parse("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB");
    private int nextRecipient = 1;
    private int workers;

    Harness() {
        this(DistributionSettings.DEFAULTS);
    }

    Harness(DistributionSettings settings) {
        this.settings = settings;
        // The queue's lock outlives the batch lease, as in production: a crashed worker's job comes back after both lapsed.
        this.queue = new InMemoryDistributionQueue(clock, 3, Duration.ofSeconds(5), settings.lease().plusMinutes(1));
        this.service = new CampaignService(storage.campaigns(), storage.recipients(), storage.batches(), storage.ledger(),
                queue, chain, ids, clock, ChainId.BASE, settings);
        // What DistributionWorker.start does.
        storage.ledger().resyncNonce(chain.minter(), chain.pendingNonceOf(chain.minter()));
    }

    /** Distinct, deterministic, non-zero recipient addresses. */
    List<Address> newAddresses(int count) {
        List<Address> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Address.ofBytes(ByteBuffer.allocate(20).putInt(0, 0x7e57).putInt(16, nextRecipient++).array()));
        }
        return out;
    }

    /** A campaign with its collection deployed and attached, and {@code recipients} fresh recipients. */
    Campaign campaignWithContract(int recipients) {
        Campaign campaign = service.create(new CreateCampaignCommand(owner, "Drop", "DRP", "", "ipfs://drop/"));
        addRecipients(campaign.id(), recipients);
        FakeChain.Deployment deployment = chain.deployCollection(creator, campaign.id());
        AttachResult attached = service.attach(new AttachContractCommand(owner, campaign.id(), deployment.transaction()));
        assertThat(attached).isInstanceOf(AttachResult.Attached.class);
        return ((AttachResult.Attached) attached).campaign();
    }

    List<Address> addRecipients(CampaignId campaign, int count) {
        List<Address> addresses = newAddresses(count);
        service.add(new AddRecipientsCommand(owner, campaign, addresses.stream().map(NewRecipient::of).toList()));
        return addresses;
    }

    /** Plans and enqueues the campaign's distribution; returns its batches in index order. */
    List<Batch> distribute(Campaign campaign) {
        service.start(new StartDistributionCommand(owner, campaign.id()));
        return storage.batches().byCampaign(campaign.id());
    }

    Campaign campaign(CampaignId id) {
        return storage.campaigns().find(id).orElseThrow();
    }

    Batch batch(Batch batch) {
        return storage.batches().find(batch.id()).orElseThrow();
    }

    Address collection(Campaign campaign) {
        return campaign(campaign.id()).contract().orElseThrow();
    }

    /** A new worker process: a new identity and breaker, the given ports, time passing by moving the clock. */
    BatchProcessor worker(CrashInjector crash, CircuitBreaker breaker) {
        return new BatchProcessor(CrashingPorts.campaigns(storage.campaigns(), crash),
                CrashingPorts.batches(storage.batches(), crash), CrashingPorts.ledger(storage.ledger(), crash),
                CrashingPorts.chain(chain, crash), breaker, clock, settings, new WorkerIdentity("worker-" + (++workers)),
                clock::advance);
    }

    BatchProcessor worker(CrashInjector crash) {
        return worker(crash, new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, clock));
    }

    BatchProcessor worker() {
        return worker(CrashInjector.NONE);
    }

    /** A new worker process whose pauses go through {@code sleeper} (which should move the clock) instead. */
    BatchProcessor worker(Sleeper sleeper) {
        return new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, clock), clock, settings,
                new WorkerIdentity("worker-" + (++workers)), sleeper);
    }

    /**
     * What happens after a crash: the process restarts, time passes beyond the dead worker's lease and queue lock, and the new
     * process resynchronises its nonce counter with the chain on start (as {@link DistributionWorker#start} does).
     */
    BatchProcessor restart() {
        clock.advance(settings.lease().plusMinutes(1));
        storage.ledger().resyncNonce(chain.minter(), chain.pendingNonceOf(chain.minter()));
        return worker();
    }

    static ProcessBatchCommand firstAttempt(Batch batch) {
        return new ProcessBatchCommand(batch.id(), 0, 3);
    }

    BatchOutcome process(Batch batch) {
        return worker().process(firstAttempt(batch));
    }

    /**
     * The exactly-once check: every recipient of the campaign holds exactly one token of its collection, is COMPLETED with
     * that very token id, and every batch is COMPLETED.
     */
    void assertEveryRecipientMintedExactlyOnce(Campaign campaign) {
        Address collection = collection(campaign);
        List<Recipient> recipients = storage.recipients().list(campaign.id(), Optional.empty(), Optional.empty(), 10_000);
        assertThat(recipients).isNotEmpty();
        for (Recipient recipient : recipients) {
            List<TokenId> held = chain.tokensOf(collection, recipient.address());
            assertThat(held).as("tokens held by %s", recipient.address()).hasSize(1);
            assertThat(recipient.status()).as("status of %s", recipient.address()).isEqualTo(RecipientStatus.COMPLETED);
            assertThat(recipient.tokenId()).as("token id recorded for %s", recipient.address()).contains(held.getFirst());
        }
        assertThat(chain.mints().stream().filter(m -> m.collection().equals(collection)).count())
                .as("tokens minted in all").isEqualTo(recipients.size());
        assertThat(storage.batches().byCampaign(campaign.id()))
                .allSatisfy(b -> assertThat(b.status()).isEqualTo(BatchStatus.COMPLETED));
    }
}
