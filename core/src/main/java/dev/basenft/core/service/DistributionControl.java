package dev.basenft.core.service;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Fid;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.CampaignStateConflictException;
import dev.basenft.core.port.in.CancelDistributionUseCase;
import dev.basenft.core.port.in.PauseDistributionUseCase;
import dev.basenft.core.port.in.ReadStatusQuery.CampaignView;
import dev.basenft.core.port.in.RemoveRecipientsUseCase;
import dev.basenft.core.port.in.ResumeDistributionUseCase;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.Recipients;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;

/**
 * The creator's controls over a distribution: pause, resume, cancel, and removing recipients before they are planned.
 *
 * <p>None of them can weaken exactly-once, because none touches a batch something was signed for. The campaign's status is
 * what the workers obey: a halted campaign's PENDING batches are not claimed, and a batch claimed before the change is
 * refused at its write-ahead, under the same lock as the signing ({@link
 * dev.basenft.core.port.out.TransactionLedger#writeAheadWithin}). So a pause or cancel and a worker's signing are ordered:
 * either the batch was SUBMITTED first (and finishes, its recipients minted), or it is never signed in this state.
 * Cancelling dissolves only PENDING batches here; a PROCESSING one is withdrawn by the worker holding it when its
 * write-ahead is refused.
 *
 * <p>Each operation is idempotent (repeating it answers the current state) and refused with
 * {@link CampaignStateConflictException} in a state it cannot apply to. Thread-safe.
 */
public final class DistributionControl implements PauseDistributionUseCase, ResumeDistributionUseCase,
        CancelDistributionUseCase, RemoveRecipientsUseCase {

    private static final System.Logger LOG = System.getLogger("dev.basenft.campaigns");
    /** How many open batches one page of a resume re-queues. */
    private static final int PAGE = 1_000;

    private final Campaigns campaigns;
    private final Recipients recipients;
    private final Batches batches;
    private final DistributionQueue queue;
    private final CampaignProgress progress;

    @Inject
    public DistributionControl(Campaigns campaigns, Recipients recipients, Batches batches, DistributionQueue queue) {
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
        this.recipients = Objects.requireNonNull(recipients, "recipients");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.progress = new CampaignProgress(campaigns, batches);
    }

    @Override
    public CampaignView pause(PauseDistributionCommand command) {
        Objects.requireNonNull(command, "command");
        Campaign campaign = owned(command.owner(), command.campaignId());
        // A loop, not one update: the status may move under us (the last batch completing the campaign); each round
        // re-reads it, and a compare-and-set that loses means someone else moved it first.
        while (true) {
            switch (campaign.status()) {
                case PAUSED -> {
                    return view(campaign.id());
                }
                case PROCESSING -> {
                    if (campaigns.updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.PAUSED)) {
                        LOG.log(Level.INFO, "Campaign {0} paused: no further batch is signed; signed ones finish",
                                campaign.id());
                        return view(campaign.id());
                    }
                }
                default -> throw new CampaignStateConflictException(campaign.id(), campaign.status(), "pause",
                        "only a distributing (PROCESSING) campaign can be paused");
            }
            campaign = reread(campaign.id());
        }
    }

    @Override
    public CampaignView resume(ResumeDistributionCommand command) {
        Objects.requireNonNull(command, "command");
        Campaign campaign = owned(command.owner(), command.campaignId());
        while (true) {
            switch (campaign.status()) {
                case PROCESSING -> {
                    return view(campaign.id());
                }
                case PAUSED -> {
                    if (campaigns.updateStatus(campaign.id(), CampaignStatus.PAUSED, CampaignStatus.PROCESSING)) {
                        int requeued = requeueWaiting(campaign.id());
                        // Batches signed before the pause may all have settled while it lasted: nothing else would move the
                        // campaign on then.
                        progress.refresh(campaign.id());
                        LOG.log(Level.INFO, "Campaign {0} resumed: {1} waiting batch(es) queued again", campaign.id(),
                                Integer.toString(requeued));
                        return view(campaign.id());
                    }
                }
                case CANCELLED -> throw new CampaignStateConflictException(campaign.id(), campaign.status(), "resume",
                        "a cancelled campaign is distributed again (POST …/distribute), which plans its pending recipients");
                default -> throw new CampaignStateConflictException(campaign.id(), campaign.status(), "resume",
                        "only a PAUSED campaign can be resumed");
            }
            campaign = reread(campaign.id());
        }
    }

    @Override
    public CampaignView cancel(CancelDistributionCommand command) {
        Objects.requireNonNull(command, "command");
        Campaign campaign = owned(command.owner(), command.campaignId());
        while (true) {
            switch (campaign.status()) {
                case CANCELLED -> {
                    // Again: a worker may have given a batch back (PROCESSING → PENDING) after the first cancel.
                    batches.cancelPending(campaign.id());
                    return view(campaign.id());
                }
                case PROCESSING, PAUSED -> {
                    // The status first: from here on no batch of the campaign is claimed or signed fresh, so the
                    // batches cancelled next cannot be taken meanwhile, and one claimed just before is refused at its
                    // write-ahead and withdrawn by its worker.
                    if (campaigns.updateStatus(campaign.id(), campaign.status(), CampaignStatus.CANCELLED)) {
                        int cancelled = batches.cancelPending(campaign.id());
                        LOG.log(Level.INFO, "Campaign {0} cancelled: {1} unsigned batch(es) cancelled, their recipients"
                                + " PENDING again; signed batches finish", campaign.id(), Integer.toString(cancelled));
                        return view(campaign.id());
                    }
                }
                default -> throw new CampaignStateConflictException(campaign.id(), campaign.status(), "cancel",
                        "only a PROCESSING or PAUSED campaign can be cancelled");
            }
            campaign = reread(campaign.id());
        }
    }

    @Override
    public RemovalResult remove(RemoveRecipientsCommand command) {
        Objects.requireNonNull(command, "command");
        Campaign campaign = owned(command.owner(), command.campaignId());
        return switch (recipients.remove(campaign.id(), command.addresses())) {
            case Recipients.Removal.Removed removed -> {
                LOG.log(Level.INFO, "Campaign {0}: removed {1} unplanned recipient(s), {2} not in the campaign",
                        campaign.id(), Integer.toString(removed.removed()), Integer.toString(removed.absent().size()));
                // A campaign whose every batch completed waits PROCESSING for recipients added after its planning; with
                // those removed, nothing else would settle it.
                progress.refresh(campaign.id());
                yield new RemovalResult.Removed(removed.removed(), removed.absent());
            }
            case Recipients.Removal.Refused refused -> new RemovalResult.Refused(refused.planned());
        };
    }

    /**
     * Makes sure every PENDING batch of the campaign has a live job: a job that met the pause was delayed, and one the queue
     * finished meanwhile gets a new one. Delayed jobs keep their delay (at most {@code WAIT_DELAY_SECONDS}).
     */
    private int requeueWaiting(CampaignId campaign) {
        List<Batch> waiting = batches.byCampaign(campaign).stream()
                .filter(b -> b.status() == BatchStatus.PENDING)
                .toList();
        for (int from = 0; from < waiting.size(); from += PAGE) {
            queue.ensureQueued(waiting.subList(from, Math.min(waiting.size(), from + PAGE)));
        }
        return waiting.size();
    }

    private CampaignView view(CampaignId id) {
        return campaigns.findWithSummary(id)
                .map(found -> new CampaignView(found.campaign(), found.summary()))
                .orElseThrow(() -> new CampaignNotFoundException(id));
    }

    private Campaign reread(CampaignId id) {
        return campaigns.find(id).orElseThrow(() -> new CampaignNotFoundException(id));
    }

    private Campaign owned(Fid owner, CampaignId id) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(id, "id");
        return campaigns.find(id).filter(c -> c.owner().equals(owner))
                .orElseThrow(() -> new CampaignNotFoundException(id));
    }
}
