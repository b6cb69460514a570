package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.CampaignStateConflictException;
import dev.basenft.core.port.in.CancelDistributionUseCase.CancelDistributionCommand;
import dev.basenft.core.port.in.PauseDistributionUseCase.PauseDistributionCommand;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.RemoveRecipientsUseCase.RemovalResult;
import dev.basenft.core.port.in.RemoveRecipientsUseCase.RemoveRecipientsCommand;
import dev.basenft.core.port.in.ResumeDistributionUseCase.ResumeDistributionCommand;
import dev.basenft.core.port.in.RetryFailedUseCase.RetryFailedCommand;
import dev.basenft.core.port.in.StartDistributionUseCase.StartDistributionCommand;
import dev.basenft.core.model.Fid;
import dev.basenft.core.testing.ForwardingChain;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pause, resume, cancel and removal on the in-memory ports and the fake chain, with the real worker: a halted campaign
 * signs nothing fresh, signed batches finish, and in the end every recipient holds exactly one token.
 */
class DistributionControlTest {

    private final Harness h = new Harness(DistributionSettings.builder().batchSize(3).build());
    private final DistributionControl control = new DistributionControl(h.storage.campaigns(), h.storage.recipients(),
            h.storage.batches(), h.queue);

    @Test
    void aPausedCampaignSignsNothingFreshAndResumesToOneTokenEach() {
        Campaign campaign = h.campaignWithContract(10);
        List<Batch> batches = h.distribute(campaign);
        assertThat(batches).hasSize(4);
        assertThat(h.process(batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);

        assertThat(pause(campaign).campaign().status()).isEqualTo(CampaignStatus.PAUSED);
        int broadcastsBefore = h.chain.broadcasts().size();
        for (Batch batch : batches.subList(1, 4)) {
            assertThat(h.process(batch)).isInstanceOfSatisfying(BatchOutcome.Delayed.class,
                    d -> assertThat(d.reason()).isEqualTo("campaign paused"));
            assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.PENDING);
            assertThat(h.batch(batch).attempts()).as("a paused batch uses no attempt").isZero();
        }
        assertThat(h.chain.broadcasts()).hasSize(broadcastsBefore);
        assertThat(h.chain.mints()).hasSize(3);
        // Idempotent: pausing again answers the same state.
        assertThat(pause(campaign).campaign().status()).isEqualTo(CampaignStatus.PAUSED);

        assertThat(control.resume(new ResumeDistributionCommand(h.owner, campaign.id())).campaign().status())
                .isEqualTo(CampaignStatus.PROCESSING);
        assertThat(control.resume(new ResumeDistributionCommand(h.owner, campaign.id())).campaign().status())
                .isEqualTo(CampaignStatus.PROCESSING);
        batches.subList(1, 4).forEach(h::process);

        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aPauseThatLandsBetweenTheClaimAndTheSigningStopsTheSigning() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = h.distribute(campaign).getFirst();
        // The worker has claimed the batch and read the campaign as PROCESSING; the pause lands while it prices the mint.
        BatchProcessor worker = workerWhosePricing(() -> pause(campaign));

        BatchOutcome outcome = worker.process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOfSatisfying(BatchOutcome.Delayed.class,
                d -> assertThat(d.reason()).isEqualTo("campaign paused"));
        assertThat(h.storage.ledger().forBatch(batch.id())).isEmpty();
        assertThat(h.storage.ledger().nextNonce(h.chain.minter())).isZero();
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.PENDING);
        assertThat(h.chain.broadcasts()).isEmpty();

        control.resume(new ResumeDistributionCommand(h.owner, campaign.id()));
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void cancelLetsASignedBatchFinishAndReturnsTheRestToPending() {
        Campaign campaign = h.campaignWithContract(9);
        List<Batch> batches = h.distribute(campaign);
        h.chain.automine(false);
        // Batch 0 is signed and sent, not mined yet.
        assertThat(h.process(batches.get(0))).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(h.batch(batches.get(0)).status()).isEqualTo(BatchStatus.SUBMITTED);

        var view = control.cancel(new CancelDistributionCommand(h.owner, campaign.id()));

        assertThat(view.campaign().status()).isEqualTo(CampaignStatus.CANCELLED);
        assertThat(view.summary().batches()).containsEntry(BatchStatus.CANCELLED, 2L)
                .containsEntry(BatchStatus.SUBMITTED, 1L);
        assertThat(view.summary().recipients()).containsEntry(RecipientStatus.PENDING, 6L)
                .containsEntry(RecipientStatus.PROCESSING, 3L);
        assertThat(h.process(batches.get(1))).isInstanceOf(BatchOutcome.Skipped.class);
        h.chain.mine();
        assertThat(h.process(batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);

        assertThat(h.campaign(campaign.id()).status()).as("a cancelled campaign is not settled by its last batch")
                .isEqualTo(CampaignStatus.CANCELLED);
        assertThat(recipientsIn(campaign, RecipientStatus.COMPLETED)).containsExactlyInAnyOrderElementsOf(
                batches.get(0).recipients());
        assertThat(recipientsIn(campaign, RecipientStatus.PENDING)).hasSize(6);
        assertThat(h.chain.mints()).hasSize(3);
        // Idempotent.
        assertThat(control.cancel(new CancelDistributionCommand(h.owner, campaign.id())).campaign().status())
                .isEqualTo(CampaignStatus.CANCELLED);

        // Distributed again: the six are planned into new batches; nobody gets a second token.
        h.chain.automine(true);
        List<Batch> again = h.distribute(campaign).stream().filter(b -> b.status() == BatchStatus.PENDING).toList();
        assertThat(again).hasSize(2).allSatisfy(b -> assertThat(b.index()).isGreaterThanOrEqualTo(3));
        again.forEach(h::process);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        assertEachHoldsExactlyOneToken(campaign, 9);
    }

    @Test
    void aCancelThatLandsBetweenTheClaimAndTheSigningWithdrawsTheBatch() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = h.distribute(campaign).getFirst();
        BatchProcessor worker = workerWhosePricing(
                () -> control.cancel(new CancelDistributionCommand(h.owner, campaign.id())));

        assertThat(worker.process(Harness.firstAttempt(batch))).isInstanceOfSatisfying(BatchOutcome.Skipped.class,
                s -> assertThat(s.reason()).isEqualTo("campaign cancelled"));

        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(h.storage.ledger().forBatch(batch.id())).isEmpty();
        assertThat(recipientsIn(campaign, RecipientStatus.PENDING)).containsExactlyInAnyOrderElementsOf(batch.recipients());
        assertThat(h.chain.broadcasts()).isEmpty();
    }

    @Test
    void aBatchGivenBackAfterTheCancelIsCancelledByItsNextJob() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.setBaseFee(dev.basenft.core.model.Wei.gwei(300));
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        control.cancel(new CancelDistributionCommand(h.owner, campaign.id()));
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.CANCELLED);
        h.chain.setBaseFee(dev.basenft.core.model.Wei.gwei(1));

        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Skipped.class);
        assertThat(h.chain.broadcasts()).isEmpty();
    }

    @Test
    void refusesEachControlInAStateItCannotApplyTo() {
        Campaign draft = h.campaignWithContract(2);
        assertRefused(() -> pause(draft), CampaignStatus.DRAFT);
        assertRefused(() -> control.resume(new ResumeDistributionCommand(h.owner, draft.id())), CampaignStatus.DRAFT);
        assertRefused(() -> control.cancel(new CancelDistributionCommand(h.owner, draft.id())), CampaignStatus.DRAFT);

        Campaign done = h.campaignWithContract(2);
        h.distribute(done).forEach(h::process);
        assertRefused(() -> pause(done), CampaignStatus.COMPLETED);
        assertRefused(() -> control.cancel(new CancelDistributionCommand(h.owner, done.id())), CampaignStatus.COMPLETED);

        Campaign paused = h.campaignWithContract(2);
        h.distribute(paused);
        pause(paused);
        assertRefused(() -> h.service.start(new StartDistributionCommand(h.owner, paused.id())), CampaignStatus.PAUSED);
        assertRefused(() -> h.service.retry(new RetryFailedCommand(h.owner, paused.id())), CampaignStatus.PAUSED);
        control.cancel(new CancelDistributionCommand(h.owner, paused.id()));
        assertRefused(() -> control.resume(new ResumeDistributionCommand(h.owner, paused.id())), CampaignStatus.CANCELLED);
        assertRefused(() -> pause(paused), CampaignStatus.CANCELLED);

        assertThatThrownBy(() -> control.pause(new PauseDistributionCommand(new Fid(9), paused.id())))
                .isInstanceOf(CampaignNotFoundException.class);
    }

    @Test
    void removesUnplannedRecipientsSoTheyAreNeverMinted() {
        Campaign campaign = h.campaignWithContract(6);
        List<Address> all = recipientsIn(campaign, RecipientStatus.PENDING);
        List<Address> removed = List.of(all.get(1), all.get(4));

        RemovalResult result = control.remove(new RemoveRecipientsCommand(h.owner, campaign.id(), removed));

        assertThat(result).isEqualTo(new RemovalResult.Removed(2, List.of()));
        h.distribute(campaign).forEach(h::process);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        Address collection = h.collection(campaign);
        for (Address gone : removed) {
            assertThat(h.chain.tokensOf(collection, gone)).isEmpty();
        }
        assertEachHoldsExactlyOneToken(campaign, 4);
        // Planned (here: minted) recipients cannot be removed; nothing is removed then.
        assertThat(control.remove(new RemoveRecipientsCommand(h.owner, campaign.id(), List.of(all.get(0), removed.get(0)))))
                .isEqualTo(new RemovalResult.Refused(Map.of(all.get(0), RecipientStatus.COMPLETED)));
    }

    @Test
    void removingTheRecipientsAddedAfterPlanningSettlesTheCampaign() {
        // Added after planning: every batch completes, and the campaign stays PROCESSING until they are minted or removed.
        Campaign running = h.campaignWithContract(3);
        List<Batch> batches = h.distribute(running);
        List<Address> unplanned = h.addRecipients(running.id(), 2);
        batches.forEach(h::process);
        assertThat(h.campaign(running.id()).status()).isEqualTo(CampaignStatus.PROCESSING);

        control.remove(new RemoveRecipientsCommand(h.owner, running.id(), unplanned));

        assertThat(h.campaign(running.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
    }

    @Test
    void aCampaignCancelledAfterEveryBatchWasSignedCompletesWhenDistributedAgain() {
        Campaign campaign = h.campaignWithContract(6);
        List<Batch> batches = h.distribute(campaign);
        h.chain.automine(false);
        batches.forEach(b -> assertThat(h.process(b)).isInstanceOf(BatchOutcome.Delayed.class));
        var view = control.cancel(new CancelDistributionCommand(h.owner, campaign.id()));
        assertThat(view.summary().batches()).containsEntry(BatchStatus.CANCELLED, 0L);
        h.chain.mine();
        batches.forEach(h::process);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.CANCELLED);

        assertThat(h.service.start(new StartDistributionCommand(h.owner, campaign.id())).plannedBatches()).isZero();

        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    private ReadView pause(Campaign campaign) {
        return new ReadView(control.pause(new PauseDistributionCommand(h.owner, campaign.id())));
    }

    /** The campaign view a control returns, named for readability. */
    private record ReadView(dev.basenft.core.port.in.ReadStatusQuery.CampaignView view) {
        Campaign campaign() {
            return view.campaign();
        }
    }

    /** A worker whose chain runs {@code meanwhile} when it prices a mint: after the claim, before the write-ahead. */
    private BatchProcessor workerWhosePricing(Runnable meanwhile) {
        ForwardingChain chain = new ForwardingChain(h.chain) {
            @Override
            public MintQuote quoteMint(MintCall call) {
                meanwhile.run();
                return super.quoteMint(call);
            }
        };
        return new BatchProcessor(h.storage.campaigns(), h.storage.batches(), h.storage.ledger(), chain,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock), h.clock, h.settings,
                new WorkerIdentity("racing-worker"), h.clock::advance);
    }

    private List<Address> recipientsIn(Campaign campaign, RecipientStatus status) {
        return h.storage.recipients().list(campaign.id(), Optional.of(status), Optional.empty(), 10_000).stream()
                .map(Recipient::address).toList();
    }

    private void assertEachHoldsExactlyOneToken(Campaign campaign, int expected) {
        Address collection = h.collection(campaign);
        List<Recipient> recipients = h.storage.recipients().list(campaign.id(), Optional.empty(), Optional.empty(), 10_000);
        assertThat(recipients).hasSize(expected);
        for (Recipient r : recipients) {
            List<TokenId> held = h.chain.tokensOf(collection, r.address());
            assertThat(held).as("tokens of %s", r.address()).hasSize(1);
            assertThat(r.tokenId()).contains(held.getFirst());
        }
        assertThat(h.chain.mints().stream().filter(m -> m.collection().equals(collection)).count()).isEqualTo(expected);
    }

    private static void assertRefused(Runnable action, CampaignStatus state) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(CampaignStateConflictException.class,
                e -> assertThat(e.status()).isEqualTo(state));
    }
}
