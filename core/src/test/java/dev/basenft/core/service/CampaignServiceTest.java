package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchRef;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.port.in.AddRecipientsUseCase.AddRecipientsCommand;
import dev.basenft.core.port.in.AttachContractUseCase.AttachContractCommand;
import dev.basenft.core.port.in.AttachContractUseCase.AttachResult;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.CampaignNotReadyException;
import dev.basenft.core.port.in.CreateCampaignUseCase.CreateCampaignCommand;
import dev.basenft.core.port.in.PrepareDeployUseCase.PrepareDeployCommand;
import dev.basenft.core.port.in.PrepareDeployUseCase.PreparedDeploy;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ReadStatusQuery.BatchView;
import dev.basenft.core.port.in.ReadStatusQuery.CampaignView;
import dev.basenft.core.port.in.RetryFailedUseCase.RetryFailedCommand;
import dev.basenft.core.port.in.StartDistributionUseCase.DistributionStarted;
import dev.basenft.core.port.in.StartDistributionUseCase.StartDistributionCommand;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.JobOutcome;
import dev.basenft.core.testing.FakeChain;
import dev.basenft.core.testing.InMemoryDistributionQueue.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CampaignServiceTest {

    private final Harness h = new Harness(DistributionSettings.builder().batchSize(200).build());
    private final Fid stranger = new Fid(666);
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    private Campaign draft() {
        return h.service.create(new CreateCampaignCommand(h.owner, "Drop", "DRP", "first drop", "ipfs://drop/"));
    }

    @Test
    void createsADraftCampaignForItsOwnerOnTheConfiguredChain() {
        Campaign campaign = draft();

        assertThat(campaign.status()).isEqualTo(CampaignStatus.DRAFT);
        assertThat(campaign.owner()).isEqualTo(h.owner);
        assertThat(campaign.chainId()).isEqualTo(ChainId.BASE);
        assertThat(campaign.createdAt()).isEqualTo(h.clock.instant());
        assertThat(h.storage.campaigns().find(campaign.id())).contains(campaign);
        assertThat(h.service.campaigns(h.owner, Optional.empty(), 10)).containsExactly(campaign);
    }

    @Test
    void treatsAnotherOwnersCampaignAsNotFound() {
        Campaign campaign = h.campaignWithContract(2);

        assertThat(h.service.campaign(stranger, campaign.id())).isEmpty();
        assertThat(h.service.campaigns(stranger, Optional.empty(), 10)).isEmpty();
        assertThatThrownBy(() -> h.service.add(new AddRecipientsCommand(stranger, campaign.id(),
                List.of(NewRecipient.of(h.newAddresses(1).getFirst())))))
                .isInstanceOf(CampaignNotFoundException.class)
                .hasMessage("campaign " + campaign.id() + " not found");
        assertThatThrownBy(() -> h.service.start(new StartDistributionCommand(stranger, campaign.id())))
                .isInstanceOf(CampaignNotFoundException.class);
        assertThatThrownBy(() -> h.service.retry(new RetryFailedCommand(stranger, campaign.id())))
                .isInstanceOf(CampaignNotFoundException.class);
        assertThatThrownBy(() -> h.service.attach(new AttachContractCommand(stranger, campaign.id(),
                h.chain.deployCollection(h.newAddresses(1).getFirst(), campaign.id()).transaction())))
                .isInstanceOf(CampaignNotFoundException.class);
        assertThatThrownBy(() -> h.service.prepare(new PrepareDeployCommand(stranger, campaign.id(), Optional.empty())))
                .isInstanceOf(CampaignNotFoundException.class);
        assertThatThrownBy(() -> h.service.recipients(stranger, campaign.id(), Optional.empty(), Optional.empty(), 10))
                .isInstanceOf(CampaignNotFoundException.class);
        assertThatThrownBy(() -> h.service.distributions(stranger, campaign.id(), Optional.empty(), 10))
                .isInstanceOf(CampaignNotFoundException.class);
        assertThat(h.storage.batches().byCampaign(campaign.id())).as("nothing planned by the stranger").isEmpty();
    }

    @Test
    void attachesAVerifiedCollectionOnceWithItsCreatorAndBlock() {
        Campaign campaign = draft();
        Address wallet = h.newAddresses(1).getFirst();
        FakeChain.Deployment deployment = h.chain.deployCollection(wallet, campaign.id());

        AttachResult result = h.service.attach(new AttachContractCommand(h.owner, campaign.id(), deployment.transaction()));

        assertThat(result).isInstanceOf(AttachResult.Attached.class);
        Campaign attached = ((AttachResult.Attached) result).campaign();
        assertThat(attached.collection()).contains(CollectionDeployment.of(deployment.collection(), wallet,
                h.chain.blockNumber()));
        // The same deploy again (a retried request) is fine and changes nothing.
        assertThat(h.service.attach(new AttachContractCommand(h.owner, campaign.id(), deployment.transaction())))
                .isEqualTo(new AttachResult.Attached(attached));
        // Another collection made for this campaign (another wallet) cannot replace it.
        FakeChain.Deployment second = h.chain.deployCollection(h.newAddresses(1).getFirst(), campaign.id());
        assertThat(h.service.attach(new AttachContractCommand(h.owner, campaign.id(), second.transaction())))
                .isEqualTo(new AttachResult.CampaignHasCollection(deployment.collection()));
        assertThat(h.campaign(campaign.id())).isEqualTo(attached);
    }

    @Test
    void refusesACollectionMadeForAnotherCampaignEvenTheOwnersOwn() {
        Campaign mine = draft();
        Campaign other = draft();
        FakeChain.Deployment forOther = h.chain.deployCollection(h.newAddresses(1).getFirst(), other.id());
        FakeChain.Deployment unbound = h.chain.deployCollection(h.newAddresses(1).getFirst());

        assertThat(h.service.attach(new AttachContractCommand(h.owner, mine.id(), forOther.transaction())))
                .isEqualTo(new AttachResult.ForAnotherCampaign(forOther.collection(), CampaignKey.of(other.id())));
        assertThat(h.service.attach(new AttachContractCommand(h.owner, mine.id(), unbound.transaction())))
                .isInstanceOf(AttachResult.ForAnotherCampaign.class);
        assertThat(h.campaign(mine.id()).collection()).isEmpty();
        assertThat(h.campaign(other.id()).collection()).isEmpty();
    }

    @Test
    void refusesACollectionTheStoreAlreadyGaveToAnotherCampaign() {
        Campaign holder = draft();
        Campaign campaign = draft();
        FakeChain.Deployment deployment = h.chain.deployCollection(h.newAddresses(1).getFirst(), campaign.id());
        // As if attached before collections were bound to campaigns: the store's uniqueness is the last guard.
        h.storage.campaigns().attachCollection(holder.id(), new CollectionDeployment(deployment.collection(),
                Optional.empty(), Optional.empty()));

        assertThat(h.service.attach(new AttachContractCommand(h.owner, campaign.id(), deployment.transaction())))
                .isEqualTo(new AttachResult.CollectionAlreadyAttached(deployment.collection()));
        assertThat(h.campaign(campaign.id()).collection()).isEmpty();
    }

    @Test
    void preparesTheDeployCallWithTheCampaignKeyAndPredictsTheCollection() {
        Campaign campaign = draft();
        Address wallet = h.newAddresses(1).getFirst();

        PreparedDeploy plain = h.service.prepare(new PrepareDeployCommand(h.owner, campaign.id(), Optional.empty()));
        PreparedDeploy predicted = h.service.prepare(new PrepareDeployCommand(h.owner, campaign.id(), Optional.of(wallet)));

        assertThat(plain).isEqualTo(new PreparedDeploy.Ready(h.chain.deployCall(campaign), CampaignKey.of(campaign.id()),
                Optional.empty()));
        assertThat(predicted).isInstanceOfSatisfying(PreparedDeploy.Ready.class, ready -> assertThat(
                ready.predictedCollection()).contains(h.chain.predictCollection(wallet, campaign.id())));
        FakeChain.Deployment deployment = h.chain.deployCollection(wallet, campaign.id());
        assertThat(predicted).isInstanceOfSatisfying(PreparedDeploy.Ready.class,
                ready -> assertThat(ready.predictedCollection()).contains(deployment.collection()));
        h.service.attach(new AttachContractCommand(h.owner, campaign.id(), deployment.transaction()));
        assertThat(h.service.prepare(new PrepareDeployCommand(h.owner, campaign.id(), Optional.of(wallet))))
                .isEqualTo(new PreparedDeploy.AlreadyAttached(deployment.collection()));
    }

    @Test
    void attachesNothingForUnminedForeignOrUnusableDeployments() {
        Campaign campaign = draft();
        TxHash unknown = new TxHash("0x" + "12".repeat(32));

        assertThat(h.service.attach(new AttachContractCommand(h.owner, campaign.id(), unknown)))
                .isInstanceOf(AttachResult.NotMined.class);
        assertThat(h.service.attach(new AttachContractCommand(h.owner, campaign.id(), h.chain.recordForeignTransaction())))
                .isInstanceOfSatisfying(AttachResult.Rejected.class,
                        r -> assertThat(r.reason()).contains("not a call to our factory"));
        assertThat(h.service.attach(new AttachContractCommand(h.owner, campaign.id(),
                h.chain.recordRevertedDeployment())))
                .isInstanceOfSatisfying(AttachResult.Rejected.class, r -> assertThat(r.reason()).contains("reverted"));
        FakeChain.Deployment roleless = h.chain.deployCollectionWithoutMinterRole(h.newAddresses(1).getFirst(),
                campaign.id());
        assertThat(h.service.attach(new AttachContractCommand(h.owner, campaign.id(), roleless.transaction())))
                .isInstanceOfSatisfying(AttachResult.Rejected.class, r -> assertThat(r.reason()).contains("MINTER_ROLE"));
        assertThat(h.campaign(campaign.id()).contract()).isEmpty();
    }

    @Test
    void refusesToDistributeWithoutACollection() {
        Campaign campaign = draft();
        h.addRecipients(campaign.id(), 3);

        assertThatThrownBy(() -> h.service.start(new StartDistributionCommand(h.owner, campaign.id())))
                .isInstanceOf(CampaignNotReadyException.class)
                .hasMessageContaining("no collection contract");
        assertThat(h.storage.batches().byCampaign(campaign.id())).isEmpty();
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.DRAFT);
    }

    @Test
    void plansAndEnqueuesEveryPendingRecipient() {
        Campaign campaign = h.campaignWithContract(450);

        DistributionStarted started = h.service.start(new StartDistributionCommand(h.owner, campaign.id()));

        assertThat(started).isEqualTo(new DistributionStarted(3, 450, 3));
        List<Batch> batches = h.storage.batches().byCampaign(campaign.id());
        assertThat(batches).extracting(b -> b.recipients().size()).containsExactly(200, 200, 50);
        assertThat(h.queue.jobIds()).containsExactlyElementsOf(batches.stream().map(Batch::jobId).toList());
        assertThat(h.storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PROCESSING, 450L);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.PROCESSING);
    }

    @Test
    void aLargeCampaignIsPlannedInFullBatchesWithOnlyTheLastOnePartial() {
        // More recipients than one planning slice (10,000), which 330 does not divide.
        Harness sized = new Harness(DistributionSettings.builder().batchSize(330).build());
        Campaign campaign = sized.campaignWithContract(20_000);

        List<Batch> batches = sized.distribute(campaign);

        assertThat(batches).hasSize(61);
        assertThat(batches.subList(0, 60)).allSatisfy(b -> assertThat(b.recipients()).hasSize(330));
        assertThat(batches.getLast().recipients()).hasSize(20_000 - 60 * 330);
    }

    @Test
    void distributingTwicePlansNothingNewAndQueuesNothingTwice() throws Exception {
        Campaign campaign = h.campaignWithContract(250);
        h.service.start(new StartDistributionCommand(h.owner, campaign.id()));

        DistributionStarted second = h.service.start(new StartDistributionCommand(h.owner, campaign.id()));

        assertThat(second.plannedBatches()).isZero();
        assertThat(second.plannedRecipients()).isZero();
        assertThat(h.storage.batches().byCampaign(campaign.id())).hasSize(2);
        assertThat(h.queue.jobIds()).hasSize(2);
        int taken = 0;
        Optional<DistributionJob> job;
        while ((job = h.queue.take(Duration.ZERO)).isPresent()) {
            taken++;
            h.queue.finish(job.get(), new JobOutcome.Done("test"));
        }
        assertThat(taken).isEqualTo(2);
    }

    @Test
    void reEnqueuesBatchesACrashLeftPlannedButNotQueued() {
        Campaign campaign = h.campaignWithContract(3);
        DistributionQueue dyingQueue = new DistributionQueue() {
            @Override
            public int enqueueAll(List<? extends BatchRef> batches) {
                throw new SimulatedCrash("before enqueue");
            }

            @Override
            public int ensureQueued(List<? extends BatchRef> openBatches) {
                throw new SimulatedCrash("before enqueue");
            }

            @Override
            public Optional<DistributionJob> take(Duration maxWait) {
                return Optional.empty();
            }

            @Override
            public void finish(DistributionJob job, JobOutcome outcome) {
            }

            @Override
            public void close() {
            }
        };
        CampaignService crashing = new CampaignService(h.storage.campaigns(), h.storage.recipients(), h.storage.batches(),
                h.storage.ledger(), dyingQueue, h.chain, h.ids, h.clock, ChainId.BASE, h.settings);
        assertThatThrownBy(() -> crashing.start(new StartDistributionCommand(h.owner, campaign.id())))
                .isInstanceOf(SimulatedCrash.class);
        assertThat(h.queue.jobIds()).isEmpty();

        DistributionStarted started = h.service.start(new StartDistributionCommand(h.owner, campaign.id()));

        assertThat(started).isEqualTo(new DistributionStarted(0, 0, 1));
        assertThat(h.queue.jobIds()).hasSize(1);
    }

    @Test
    void retryRequeuesFailedBatchesUnderANewJobAndFinishesTheCampaign() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.pause(h.collection(campaign));
        h.process(batch);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.FAILED);
        assertThat(log.linesContaining("Campaign status -> FAILED")).hasSize(1);
        h.chain.unpause(h.collection(campaign));

        int requeued = h.service.retry(new RetryFailedCommand(h.owner, campaign.id()));

        assertThat(requeued).isEqualTo(1);
        Batch retried = h.batch(batch);
        assertThat(retried.status()).isEqualTo(BatchStatus.PENDING);
        assertThat(retried.run()).isEqualTo(1);
        assertThat(retried.jobId()).isNotEqualTo(batch.jobId());
        assertThat(h.queue.state(retried.jobId())).contains(State.WAITING);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.PROCESSING);
        assertThat(h.service.retry(new RetryFailedCommand(h.owner, campaign.id()))).as("nothing FAILED now").isZero();

        h.process(retried);

        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void startAndRetryEnqueueAllTheirBatchesInOneCall() {
        Campaign campaign = h.campaignWithContract(5);
        RecordingQueue counting = new RecordingQueue(h.queue);
        List<List<BatchRef>> calls = counting.calls;
        CampaignService service = new CampaignService(h.storage.campaigns(), h.storage.recipients(), h.storage.batches(),
                h.storage.ledger(), counting, h.chain, h.ids, h.clock, ChainId.BASE,
                DistributionSettings.builder().batchSize(2).build());

        service.start(new StartDistributionCommand(h.owner, campaign.id()));

        assertThat(calls).as("one call for the three batches").hasSize(1);
        assertThat(calls.getFirst()).hasSize(3);
        assertThat(h.queue.jobIds()).hasSize(3);

        List<Batch> planned = h.storage.batches().byCampaign(campaign.id());
        h.chain.pause(h.collection(campaign));
        planned.forEach(h::process);
        h.chain.unpause(h.collection(campaign));
        calls.clear();

        assertThat(service.retry(new RetryFailedCommand(h.owner, campaign.id()))).isEqualTo(3);

        assertThat(calls).as("one call for the three retried batches").hasSize(1);
        assertThat(calls.getFirst()).extracting(BatchRef::run).containsOnly(1);
    }

    @Test
    void enqueuesALargeCampaignSliceBySliceAsItIsPlanned() {
        Campaign campaign = h.campaignWithContract(120_001);
        RecordingQueue counting = new RecordingQueue(h.queue);
        List<List<BatchRef>> calls = counting.calls;
        CampaignService service = new CampaignService(h.storage.campaigns(), h.storage.recipients(), h.storage.batches(),
                h.storage.ledger(), counting, h.chain, h.ids, h.clock, ChainId.BASE,
                DistributionSettings.builder().batchSize(250).build());

        DistributionStarted started = service.start(new StartDistributionCommand(h.owner, campaign.id()));

        // Each slice is queued as soon as it is stored, so minting starts while a large campaign is still being planned
        // and the campaign is never read back whole. The first slice is small (8,192 recipients, so 32 batches of 250),
        // for the first jobs to be queued at once; each next one doubles, up to 50,000 recipients.
        assertThat(calls).extracting(List::size).containsExactly(32, 64, 128, 200, 57);
        assertThat(calls.getFirst()).extracting(BatchRef::index).containsExactlyElementsOf(IntStream.range(0, 32).boxed().toList());
        assertThat(calls.getLast()).extracting(BatchRef::index).containsExactlyElementsOf(IntStream.range(424, 481).boxed().toList());
        assertThat(started).isEqualTo(new DistributionStarted(481, 120_001, 481));
        assertThat(h.queue.jobIds()).hasSize(481);
    }

    @Test
    void logsLargeCountsWithoutGroupingSeparators() {
        Harness big = new Harness(DistributionSettings.builder().batchSize(1).build());
        Campaign campaign = big.campaignWithContract(1234);

        try (LogCapture campaigns = LogCapture.campaigns()) {
            big.distribute(campaign);

            assertThat(campaigns.linesContaining("Distribution of campaign " + campaign.id()))
                    .singleElement().asString()
                    .contains("planned 1234 batch(es) of 1234 recipient(s), enqueued 1234")
                    .doesNotContain("1,234");
        }
    }

    @Test
    void campaignFailsOnlyOnceNoBatchIsOpenAndOneFailed() {
        Harness small = new Harness(DistributionSettings.builder().batchSize(2).build());
        Campaign campaign = small.campaignWithContract(4);
        List<Batch> batches = small.distribute(campaign);
        assertThat(small.process(batches.get(0))).isInstanceOf(
                BatchOutcome.Completed.class);
        assertThat(small.campaign(campaign.id()).status()).as("one batch still open").isEqualTo(CampaignStatus.PROCESSING);

        small.chain.pause(small.collection(campaign));
        small.process(batches.get(1));

        assertThat(small.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.FAILED);
        assertThat(log.linesContaining("Campaign status -> FAILED")).hasSize(1)
                .allSatisfy(line -> assertThat(line).contains(campaign.id().toString()).contains("1 failed batch(es)"));
    }

    @Test
    void distributesAFinishedCampaignAgainForNewRecipientsOnly() {
        Campaign campaign = h.campaignWithContract(2);
        h.process(h.distribute(campaign).getFirst());
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        List<Address> late = h.addRecipients(campaign.id(), 3);

        DistributionStarted started = h.service.start(new StartDistributionCommand(h.owner, campaign.id()));

        assertThat(started).isEqualTo(new DistributionStarted(1, 3, 1));
        Batch second = h.storage.batches().byCampaign(campaign.id()).get(1);
        assertThat(second.recipients()).containsExactlyElementsOf(late);
        assertThat(second.index()).isEqualTo(1);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.PROCESSING);
        h.process(second);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void reportsDuplicatesOnAddAndCountsOnRead() {
        Campaign campaign = h.campaignWithContract(0);
        List<Address> addresses = h.newAddresses(3);

        IngestResult result = h.service.add(new AddRecipientsCommand(h.owner, campaign.id(), List.of(
                NewRecipient.of(addresses.get(0)), NewRecipient.of(addresses.get(1)), NewRecipient.of(addresses.get(0)))));

        assertThat(result).isEqualTo(new IngestResult(2, 1));
        CampaignView view = h.service.campaign(h.owner, campaign.id()).orElseThrow();
        assertThat(view.summary().recipients()).containsEntry(RecipientStatus.PENDING, 2L);
        assertThat(view.summary().batches()).containsEntry(BatchStatus.PENDING, 0L);
        assertThat(h.service.recipients(h.owner, campaign.id(), Optional.of(RecipientStatus.PENDING), Optional.empty(), 10))
                .hasSize(2);
    }

    @Test
    void showsEachBatchWithItsStoredTransactions() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        h.process(batch);

        List<BatchView> views = h.service.distributions(h.owner, campaign.id(), Optional.empty(), 10);

        assertThat(views).hasSize(1);
        assertThat(views.getFirst().batch().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(views.getFirst().transactions()).hasSize(1);
    }

    /** The harness's queue, recording the batches of every {@code enqueueAll} call. */
    private static final class RecordingQueue implements DistributionQueue {
        final List<List<BatchRef>> calls = new ArrayList<>();
        private final DistributionQueue queue;

        RecordingQueue(DistributionQueue queue) {
            this.queue = queue;
        }

        @Override
        public int enqueueAll(List<? extends BatchRef> batches) {
            calls.add(List.copyOf(batches));
            return queue.enqueueAll(batches);
        }

        @Override
        public int ensureQueued(List<? extends BatchRef> openBatches) {
            return queue.ensureQueued(openBatches);
        }

        @Override
        public Optional<DistributionJob> take(Duration maxWait) throws InterruptedException {
            return queue.take(maxWait);
        }

        @Override
        public void finish(DistributionJob job, JobOutcome outcome) {
            queue.finish(job, outcome);
        }

        @Override
        public void close() {
            queue.close();
        }
    }
}
