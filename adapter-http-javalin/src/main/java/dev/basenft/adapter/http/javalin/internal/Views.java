package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.BatchOverview;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BatchSummary;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.FeesPaid;
import dev.basenft.core.model.ReceiptFees;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.UnsignedCall;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.EstimateCostQuery;
import dev.basenft.core.port.in.PrepareDeployUseCase.PreparedDeploy;
import dev.basenft.core.port.in.ReadStatusQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of responses, kept apart from core's model so the wire format changes only on purpose. Big numbers (wei,
 * token ids) are decimal strings: JavaScript numbers lose precision beyond 2^53. Every field is always present; absent values
 * are {@code null}.
 */
public final class Views {

    private Views() {
    }

    public record Me(long fid) {
    }

    public record Page<T>(List<T> items, String nextCursor) {
    }

    /** {@code creatorWallet} and {@code deployBlock} come from the collection's deploy; null until attached. */
    public record CampaignView(String id, long owner, String name, String symbol, String description, String baseUri,
            long chainId, String contract, String creatorWallet, Long deployBlock, String status, String createdAt,
            Counts counts) {
    }

    public record Counts(Map<String, Long> recipients, Map<String, Long> batches) {
    }

    public record RecipientView(String address, Long fid, String status, String tokenId, String txHash, String error) {
    }

    public record TransactionView(String hash, long nonce, long gasLimit, String maxFeePerGas, String maxPriorityFeePerGas,
            String recordedAt) {
    }

    /**
     * A batch of {@code /distributions}, without its addresses (the CSV export has them). {@code effectiveGasPrice},
     * {@code l1Fee} and {@code feePaid} (gas used × effective gas price + L1 fee, wei) come from the receipt that completed
     * it; null until then, and {@code l1Fee} on a chain that charges none.
     */
    public record BatchView(String id, int index, String batchKey, String status, int attempts, int run, int recipientCount,
            Long nonce, Long gasUsed, Long blockNumber, String effectiveGasPrice, String l1Fee, String feePaid, String error,
            String updatedAt, List<TransactionView> transactions) {
    }

    /** A page of {@code /distributions} with what the whole campaign has cost so far. */
    public record DistributionsPage(List<BatchView> items, String nextCursor, FeesPaidView feesPaid) {
    }

    /** {@code GET /api/campaigns/{id}/estimate}: wei as decimal strings, ether as a decimal string too. */
    public record EstimateView(long recipients, int batchSize, int batches, List<BatchGroupView> batchGroups, long gas,
            String gasFrom, String baseFeePerGasWei, String priorityFeePerGasWei, String maxFeePerGasWei, String l2FeeWei,
            String l1FeeWei, String l1FeeFrom, String totalWei, String totalEth, String worstCaseWei, MinterView minter) {
    }

    public record BatchGroupView(int recipients, int count, long gasEach, String l1FeeEachWei) {
    }

    /** The wallet that pays, its balance, and what it lacks to pay the worst case (0 when it has enough). */
    public record MinterView(String address, String balanceWei, String balanceEth, boolean sufficient,
            String shortfallWei) {
    }

    public static EstimateView estimate(EstimateCostQuery.CostEstimate e) {
        return new EstimateView(e.recipients(), e.batchSize(), e.batchCount(), e.batches().stream()
                .map(g -> new BatchGroupView(g.recipients(), g.count(), g.gas(), wei(g.l1Fee()))).toList(), e.gas(),
                e.gasFrom(), wei(e.baseFeePerGas()), wei(e.priorityFeePerGas()), wei(e.maxFeePerGas()), wei(e.l2Fee()),
                wei(e.l1Fee()), e.l1FeeFrom(), wei(e.total()), eth(e.total()), wei(e.worstCase()),
                new MinterView(e.minter().value(), wei(e.minterBalance()), eth(e.minterBalance()), e.shortfall().isEmpty(),
                        wei(e.shortfall().orElse(Wei.ZERO))));
    }

    /** Wei as ether, exactly (18 decimals at most, trailing zeros dropped). */
    static String eth(Wei wei) {
        java.math.BigDecimal ether = new java.math.BigDecimal(wei.value(), 18).stripTrailingZeros();
        return ether.signum() == 0 ? "0" : ether.toPlainString();
    }

    /** {@link FeesPaid} in wei as decimal strings. */
    public record FeesPaidView(long batches, long batchesWithoutFees, long gasUsed, String l2FeesWei, String l1FeesWei,
            String totalWei) {
    }

    /** {@code collection}: where the collection lands when the {@code from} wallet sends it; null without {@code from}. */
    public record DeployTransaction(long chainId, String to, String data, String value, String campaignKey,
            String collection) {
    }

    public record UploadResult(long received, long added, long duplicates, long duplicatesInUpload, long alreadyStored,
            List<RecipientUpload.Duplicate> duplicateLines) {
    }

    public record DistributionStarted(int plannedBatches, long plannedRecipients, int enqueuedBatches) {
    }

    public record Requeued(int requeued) {
    }

    /** What a removal of recipients did: how many were removed, and the addresses that were not in the campaign. */
    public record Removed(int removed, List<String> absent) {
    }

    /** A campaign without counts (list items). */
    public static CampaignView campaign(Campaign c) {
        return campaign(c, null);
    }

    /** A campaign with its counts by status. */
    public static CampaignView campaign(Campaign c, BatchSummary summary) {
        return new CampaignView(c.id().toString(), c.owner().value(), c.name(), c.symbol(), c.description(), c.baseUri(),
                c.chainId().value(), c.contract().map(Object::toString).orElse(null),
                c.collection().flatMap(CollectionDeployment::creatorWallet).map(Object::toString).orElse(null),
                c.collection().flatMap(CollectionDeployment::deployBlock).orElse(null), c.status().name(),
                c.createdAt().toString(), summary == null ? null : counts(summary));
    }

    public static CampaignView campaign(ReadStatusQuery.CampaignView view) {
        return campaign(view.campaign(), view.summary());
    }

    private static Counts counts(BatchSummary summary) {
        Map<String, Long> recipients = new LinkedHashMap<>();
        for (RecipientStatus s : RecipientStatus.values()) {
            recipients.put(s.name(), summary.recipients().get(s));
        }
        Map<String, Long> batches = new LinkedHashMap<>();
        for (BatchStatus s : BatchStatus.values()) {
            batches.put(s.name(), summary.batches().get(s));
        }
        return new Counts(recipients, batches);
    }

    public static RecipientView recipient(Recipient r) {
        return new RecipientView(r.address().value(), r.fid().map(f -> f.value()).orElse(null), r.status().name(),
                r.tokenId().map(Object::toString).orElse(null), r.txHash().map(Object::toString).orElse(null),
                r.lastError().orElse(null));
    }

    public static BatchView batch(ReadStatusQuery.BatchView view) {
        BatchOverview b = view.batch();
        return new BatchView(b.id().toString(), b.index(), b.key().value(), b.status().name(), b.attempts(), b.run(),
                b.recipientCount(), b.nonce().orElse(null), b.gasUsed().orElse(null), b.blockNumber().orElse(null),
                b.fees().map(f -> wei(f.effectiveGasPrice())).orElse(null),
                b.fees().flatMap(ReceiptFees::l1Fee).map(Views::wei).orElse(null),
                b.feePaid().map(Views::wei).orElse(null), b.error().orElse(null), b.updatedAt().toString(),
                view.transactions().stream().map(Views::transaction).toList());
    }

    public static FeesPaidView feesPaid(FeesPaid paid) {
        return new FeesPaidView(paid.batches(), paid.batchesWithoutFees(), paid.gasUsed(), wei(paid.l2Fees()),
                wei(paid.l1Fees()), wei(paid.total()));
    }

    private static String wei(Wei wei) {
        return wei.value().toString();
    }

    private static TransactionView transaction(StoredTransaction t) {
        return new TransactionView(t.hash().value(), t.nonce(), t.transaction().gasLimit(),
                t.transaction().fees().maxFeePerGas().value().toString(),
                t.transaction().fees().maxPriorityFeePerGas().value().toString(), t.recordedAt().toString());
    }

    public static DeployTransaction deploy(PreparedDeploy.Ready ready) {
        UnsignedCall call = ready.call();
        return new DeployTransaction(call.chainId().value(), call.to().value(), call.data(), call.value().value().toString(),
                ready.campaignKey().value(), ready.predictedCollection().map(Object::toString).orElse(null));
    }
}
