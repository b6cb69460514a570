package dev.basenft.core.service;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchOverview;
import dev.basenft.core.model.BatchLifecycle;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.FeesPaid;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.planning.BatchPlanner;
import dev.basenft.core.port.in.AddRecipientsUseCase;
import dev.basenft.core.port.in.AttachContractUseCase;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.CampaignNotReadyException;
import dev.basenft.core.port.in.CampaignStateConflictException;
import dev.basenft.core.port.in.CreateCampaignUseCase;
import dev.basenft.core.port.in.PrepareDeployUseCase;
import dev.basenft.core.port.in.ReadStatusQuery;
import dev.basenft.core.port.in.RetryFailedUseCase;
import dev.basenft.core.port.in.StartDistributionUseCase;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.CollectionFactory;
import dev.basenft.core.port.out.DeploymentCheck;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.IdGenerator;
import dev.basenft.core.port.out.PlanningConflictException;
import dev.basenft.core.port.out.Recipients;
import dev.basenft.core.port.out.TransactionLedger;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The campaign use cases: create, add recipients, prepare and attach the collection, start a distribution, retry failed
 * batches, and the status reads. Every operation checks ownership first; another owner's campaign is reported as not found. Thread-safe.
 */
public final class CampaignService implements CreateCampaignUseCase, AddRecipientsUseCase, PrepareDeployUseCase,
        AttachContractUseCase, StartDistributionUseCase, RetryFailedUseCase, ReadStatusQuery {

    private static final System.Logger LOG = System.getLogger("dev.basenft.campaigns");
    /**
     * How many PENDING recipients one planning round reads, so a million-recipient campaign is planned in slices: about
     * 5 MB of addresses held at a time. Each slice costs a few round trips whatever its size, which at 10,000 were
     * seconds of a million-recipient plan (bin/bench --scale); its batches are queued as soon as it is stored.
     */
    private static final int PLANNING_SLICE = 50_000;
    /**
     * The first slice's recipients; each slice after it is twice the one before, up to {@link #PLANNING_SLICE}. About a
     * 400M-gas block's worth (24 batches of 330): the first block is what the first slice races for, and a full slice
     * held the first jobs back by its own planning (0.15 s of PostgreSQL on a busy machine), as long as planning all of
     * what that block can take.
     */
    private static final int FIRST_PLANNING_SLICE = 8_192;

    private final Campaigns campaigns;
    private final Recipients recipients;
    private final Batches batches;
    private final TransactionLedger ledger;
    private final DistributionQueue queue;
    private final CollectionFactory factory;
    private final IdGenerator ids;
    private final InstantSource time;
    private final ChainId chainId;
    private final BatchPlanner planner;
    private final CampaignProgress progress;

    @Inject
    public CampaignService(Campaigns campaigns, Recipients recipients, Batches batches, TransactionLedger ledger,
            DistributionQueue queue, CollectionFactory factory, IdGenerator ids, InstantSource time, ChainId chainId,
            DistributionSettings settings) {
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
        this.recipients = Objects.requireNonNull(recipients, "recipients");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.time = Objects.requireNonNull(time, "time");
        this.chainId = Objects.requireNonNull(chainId, "chainId");
        this.planner = new BatchPlanner(Objects.requireNonNull(settings, "settings").batchSize(), ids);
        this.progress = new CampaignProgress(campaigns, batches);
    }

    @Override
    public Campaign create(CreateCampaignCommand command) {
        Campaign campaign = Campaign.draft(ids.newCampaignId(), command.owner(), command.name(), command.symbol(),
                command.description(), command.baseUri(), chainId, time.instant());
        campaigns.create(campaign);
        return campaign;
    }

    @Override
    public IngestResult add(AddRecipientsCommand command) {
        owned(command.owner(), command.campaignId());
        return recipients.addAll(command.campaignId(), command.recipients().iterator());
    }

    @Override
    public PreparedDeploy prepare(PrepareDeployCommand command) {
        Require.notNull("command", command);
        Campaign campaign = owned(command.owner(), command.campaignId());
        if (campaign.contract().isPresent()) {
            return new PreparedDeploy.AlreadyAttached(campaign.contract().get());
        }
        Optional<Address> predicted = command.creatorWallet()
                .map(wallet -> factory.predictCollection(wallet, campaign.id()));
        return new PreparedDeploy.Ready(factory.deployCall(campaign), CampaignKey.of(campaign.id()), predicted);
    }

    @Override
    public AttachResult attach(AttachContractCommand command) {
        Require.notNull("command", command);
        Campaign campaign = owned(command.owner(), command.campaignId());
        DeploymentCheck check = factory.verifyDeployment(command.deployTransaction());
        return switch (check) {
            case DeploymentCheck.NotMined notMined -> new AttachResult.NotMined();
            case DeploymentCheck.Rejected rejected -> new AttachResult.Rejected(rejected.reason());
            case DeploymentCheck.Deployed deployed -> attachDeployed(campaign, deployed);
        };
    }

    /**
     * The binding checks, cheapest first; the store's own uniqueness is the last word when two requests race. A collection
     * made for this campaign by someone else's wallet passes: the owner chose to send its hash, and the creator wallet is
     * recorded and shown.
     */
    private AttachResult attachDeployed(Campaign campaign, DeploymentCheck.Deployed deployed) {
        Address collection = deployed.collection();
        if (!deployed.campaign().equals(CampaignKey.of(campaign.id()))) {
            LOG.log(Level.WARNING, "Refused to attach collection {0} to campaign {1}: it was created for campaign key {2}",
                    collection, campaign.id(), deployed.campaign());
            return new AttachResult.ForAnotherCampaign(collection, deployed.campaign());
        }
        if (campaign.contract().isPresent()) {
            return campaign.contract().get().equals(collection) ? new AttachResult.Attached(campaign)
                    : new AttachResult.CampaignHasCollection(campaign.contract().get());
        }
        if (!factory.minterHasRole(collection)) {
            return new AttachResult.Rejected("the minter wallet does not hold MINTER_ROLE on collection " + collection);
        }
        CollectionDeployment deployment = CollectionDeployment.of(collection, deployed.creator(), deployed.blockNumber());
        return switch (campaigns.attachCollection(campaign.id(), deployment)) {
            case Campaigns.Attachment.Attached attached -> new AttachResult.Attached(
                    campaigns.find(campaign.id()).orElseThrow());
            case Campaigns.Attachment.NoSuchCampaign missing -> throw new CampaignNotFoundException(campaign.id());
            case Campaigns.Attachment.CampaignHasCollection has -> has.existing().equals(collection)
                    ? new AttachResult.Attached(campaigns.find(campaign.id()).orElseThrow())
                    : new AttachResult.CampaignHasCollection(has.existing());
            case Campaigns.Attachment.CollectionTaken taken -> {
                LOG.log(Level.WARNING, "Refused to attach collection {0} to campaign {1}: campaign {2} has it",
                        collection, campaign.id(), taken.holder());
                yield new AttachResult.CollectionAlreadyAttached(collection);
            }
        };
    }

    @Override
    public DistributionStarted start(StartDistributionCommand command) {
        Campaign campaign = owned(command.owner(), command.campaignId());
        if (campaign.contract().isEmpty()) {
            throw new CampaignNotReadyException("campaign " + campaign.id()
                    + " has no collection contract yet: deploy it and attach it first");
        }
        refuseWhilePaused(campaign, "distribute");
        int planned = 0;
        long plannedRecipients = 0;
        // Batches an earlier request planned (it may have died before enqueueing them) are re-enqueued below.
        int nextIndex = batches.nextIndex(campaign.id());
        boolean plannedBefore = nextIndex > 0;
        boolean raced = false;
        Set<BatchId> enqueued = new HashSet<>();
        // A whole number of batches per slice: otherwise every slice ends in a partial batch, a transaction that takes a
        // block's share of gas for fewer recipients.
        int mostBatchesPerSlice = Math.max(1, PLANNING_SLICE / planner.batchSize());
        int batchesPerSlice = Math.min(mostBatchesPerSlice, Math.max(1, FIRST_PLANNING_SLICE / planner.batchSize()));
        while (true) {
            // The store cuts the recipients itself, and hands back only what the queue needs: at a million recipients,
            // reading every address out of the store, and then each one's checksum, was most of what was left of
            // planning's time (bin/bench --scale).
            List<BatchId> slots = new ArrayList<>(batchesPerSlice);
            for (int i = 0; i < batchesPerSlice; i++) {
                slots.add(ids.newBatchId());
            }
            List<PlannedBatch> batchesOfSlice;
            try {
                batchesOfSlice = batches.planNext(campaign.id(), nextIndex, slots, planner.batchSize(), time.instant());
            } catch (PlanningConflictException e) {
                // Another request planned these recipients first; its batches are enqueued below all the same.
                LOG.log(Level.INFO, "Planning of campaign {0} raced another request: {1}", campaign.id(), e.getMessage());
                raced = true;
                nextIndex = batches.nextIndex(campaign.id());
                continue;
            }
            if (batchesOfSlice.isEmpty()) {
                break;
            }
            // Counted here, not read back per slice: another planner taking an index is refused by planNext above.
            nextIndex += batchesOfSlice.size();
            // Each slice is enqueued as soon as it is stored: minting starts while a large campaign is still being
            // planned, and no more than a slice of batches (with their recipients) is held in memory, not the campaign.
            // PROCESSING first, every time: a slice's batches may all have failed already and settled the campaign.
            markProcessing(campaign.id());
            queue.enqueueAll(batchesOfSlice);
            batchesOfSlice.forEach(b -> enqueued.add(b.id()));
            planned += batchesOfSlice.size();
            plannedRecipients += batchesOfSlice.stream().mapToLong(PlannedBatch::size).sum();
            batchesPerSlice = Math.min(mostBatchesPerSlice, batchesPerSlice * 2);
        }
        if (plannedBefore || raced) {
            List<Batch> pending = batches.byCampaign(campaign.id()).stream()
                    .filter(b -> b.status() == BatchStatus.PENDING)
                    .toList();
            if (!pending.isEmpty()) {
                markProcessing(campaign.id());
            }
            queue.enqueueAll(pending);
            pending.forEach(b -> enqueued.add(b.id()));
        }
        if (enqueued.isEmpty() && campaign.status() == CampaignStatus.CANCELLED) {
            // Cancelled after every batch was signed: nothing to plan, and its signed batches finished (or will) without
            // moving a CANCELLED campaign. Distributing it again takes it back, and settles it once they are done.
            markProcessing(campaign.id());
            progress.refresh(campaign.id());
        }
        // Counts as text: MessageFormat would print 1234 as "1,234", which log searches and parsers do not expect.
        LOG.log(Level.INFO, "Distribution of campaign {0}: planned {1} batch(es) of {2} recipient(s), enqueued {3}",
                campaign.id(), Integer.toString(planned), Long.toString(plannedRecipients),
                Integer.toString(enqueued.size()));
        return new DistributionStarted(planned, plannedRecipients, enqueued.size());
    }

    @Override
    public int retry(RetryFailedCommand command) {
        Campaign campaign = owned(command.owner(), command.campaignId());
        refuseWhilePaused(campaign, "retry");
        List<Batch> requeued = new ArrayList<>();
        for (Batch batch : batches.byCampaign(campaign.id())) {
            if (BatchLifecycle.RETRYABLE.contains(batch.status())) {
                batches.requeue(batch.id()).ifPresent(requeued::add);
            }
        }
        if (!requeued.isEmpty()) {
            markProcessing(campaign.id());
        }
        queue.enqueueAll(requeued);
        LOG.log(Level.INFO, "Retry of campaign {0}: requeued {1} failed batch(es)", campaign.id(),
                Integer.toString(requeued.size()));
        return requeued.size();
    }

    /**
     * A paused campaign is resumed on purpose, not as a side effect of distributing or retrying: those would move it to
     * PROCESSING and undo the pause. (A pause racing the call is harmless: {@link #markProcessing} never leaves PAUSED.)
     */
    private static void refuseWhilePaused(Campaign campaign, String action) {
        if (campaign.status() == CampaignStatus.PAUSED) {
            throw new CampaignStateConflictException(campaign.id(), campaign.status(), action,
                    "resume it first (POST …/resume)");
        }
    }

    /**
     * Moves the campaign to PROCESSING from whatever state its state machine lets it leave for PROCESSING (a draft, a
     * settled campaign that got new or retried batches, a cancelled one distributed again); already PROCESSING is fine.
     * Never from PAUSED: only a resume ends a pause.
     */
    private void markProcessing(CampaignId id) {
        // Read first: planning calls this once per slice, and the campaign is nearly always PROCESSING by then; trying each
        // transition would be four refused updates a slice.
        if (campaigns.find(id).map(Campaign::status).orElse(null) == CampaignStatus.PROCESSING) {
            return;
        }
        for (CampaignStatus from : CampaignStatus.values()) {
            if (from != CampaignStatus.PAUSED && from.canMoveTo(CampaignStatus.PROCESSING)
                    && campaigns.updateStatus(id, from, CampaignStatus.PROCESSING)) {
                return;
            }
        }
    }

    @Override
    public Optional<CampaignView> campaign(Fid owner, CampaignId id) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(id, "id");
        // One read for the campaign and its counts: the status page polls this, and three queries were most of its cost.
        return campaigns.findWithSummary(id)
                .filter(found -> found.campaign().owner().equals(owner))
                .map(found -> new CampaignView(found.campaign(), found.summary()));
    }

    @Override
    public List<Campaign> campaigns(Fid owner, Optional<CampaignId> after, int limit) {
        return campaigns.listByOwner(owner, after, limit);
    }

    @Override
    public List<Recipient> recipients(Fid owner, CampaignId id, Optional<RecipientStatus> status, Optional<Address> after,
            int limit) {
        owned(owner, id);
        return recipients.list(id, status, after, limit);
    }

    @Override
    public List<BatchView> distributions(Fid owner, CampaignId id, Optional<Integer> afterIndex, int limit) {
        owned(owner, id);
        List<BatchOverview> page = batches.overviews(id, afterIndex, limit);
        // One ledger read for the whole page: a read per batch made a 200-batch page 201 queries.
        Map<BatchId, List<StoredTransaction>> transactions = page.isEmpty() ? Map.of()
                : ledger.forBatches(page.stream().map(BatchOverview::id).toList());
        return page.stream().map(b -> new BatchView(b, transactions.getOrDefault(b.id(), List.of()))).toList();
    }

    @Override
    public FeesPaid feesPaid(Fid owner, CampaignId id) {
        owned(owner, id);
        return batches.feesPaid(id);
    }

    @Override
    public void exportRecipients(Fid owner, CampaignId id, Consumer<ExportedRecipient> sink) {
        Objects.requireNonNull(sink, "sink");
        owned(owner, id);
        recipients.export(id, sink);
    }

    private Optional<Campaign> find(Fid owner, CampaignId id) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(id, "id");
        return campaigns.find(id).filter(c -> c.owner().equals(owner));
    }

    private Campaign owned(Fid owner, CampaignId id) {
        return find(owner, id).orElseThrow(() -> new CampaignNotFoundException(id));
    }
}
