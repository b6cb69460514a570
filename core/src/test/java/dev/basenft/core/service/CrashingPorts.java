package dev.basenft.core.service;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.Campaigns.Attachment;
import dev.basenft.core.port.out.Campaigns.CampaignWithSummary;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.TransactionLedger;
import dev.basenft.core.service.CrashInjector.Phase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Wrappers around the ports a {@link BatchProcessor} uses that ask a {@link CrashInjector} before and after every call, so
 * a test can kill "the process" at any step and then start a fresh processor on the same stores and chain.
 */
final class CrashingPorts {

    private CrashingPorts() {
    }

    private static <T> T call(CrashInjector crash, String operation, Supplier<T> delegate) {
        crash.at(operation, Phase.BEFORE);
        T result = delegate.get();
        crash.at(operation, Phase.AFTER);
        return result;
    }

    static Chain chain(Chain chain, CrashInjector crash) {
        return new Chain() {
            @Override
            public ChainId chainId() {
                return call(crash, "chain.chainId", chain::chainId);
            }

            @Override
            public Address minter() {
                return chain.minter();
            }

            @Override
            public long pendingNonce(Address wallet) {
                return call(crash, "chain.pendingNonce", () -> chain.pendingNonce(wallet));
            }

            @Override
            public long latestNonce(Address wallet) {
                return call(crash, "chain.latestNonce", () -> chain.latestNonce(wallet));
            }

            @Override
            public Wei balance(Address wallet) {
                return call(crash, "chain.balance", () -> chain.balance(wallet));
            }

            @Override
            public Fees currentFees() {
                return call(crash, "chain.currentFees", chain::currentFees);
            }

            @Override
            public MintQuote quoteMint(MintCall mint) {
                return call(crash, "chain.quoteMint", () -> chain.quoteMint(mint));
            }

            @Override
            public SignedTransaction signMint(MintCall mint, long nonce, MintQuote quote) {
                return call(crash, "chain.signMint", () -> chain.signMint(mint, nonce, quote));
            }

            @Override
            public BroadcastResult broadcast(SignedTransaction transaction) {
                return call(crash, "chain.broadcast", () -> chain.broadcast(transaction));
            }

            @Override
            public TransactionStatus status(TxHash hash) {
                return call(crash, "chain.status", () -> chain.status(hash));
            }

            @Override
            public boolean batchKeyUsed(Address collection, BatchKey key) {
                return call(crash, "chain.batchKeyUsed", () -> chain.batchKeyUsed(collection, key));
            }

            @Override
            public long blockNumber() {
                return call(crash, "chain.blockNumber", chain::blockNumber);
            }

            @Override
            public long nonceAt(Address wallet, long block) {
                return call(crash, "chain.nonceAt", () -> chain.nonceAt(wallet, block));
            }

            @Override
            public boolean batchKeyUsedAt(Address collection, BatchKey key, long block) {
                return call(crash, "chain.batchKeyUsedAt", () -> chain.batchKeyUsedAt(collection, key, block));
            }

            @Override
            public Optional<MintReceipt> findMint(Address collection, BatchKey key, long fromBlock) {
                return call(crash, "chain.findMint", () -> chain.findMint(collection, key, fromBlock));
            }

            @Override
            public SignedTransaction signFiller(long nonce, Fees fees) {
                return chain.signFiller(nonce, fees);
            }
        };
    }

    static Batches batches(Batches batches, CrashInjector crash) {
        return new Batches() {
            @Override
            public int nextIndex(CampaignId campaign) {
                return call(crash, "batches.nextIndex", () -> batches.nextIndex(campaign));
            }

            @Override
            public void savePlanned(List<Batch> planned) {
                call(crash, "batches.savePlanned", () -> {
                    batches.savePlanned(planned);
                    return null;
                });
            }

            @Override
            public List<PlannedBatch> planNext(CampaignId campaign, int firstIndex, List<BatchId> ids, int batchSize,
                    java.time.Instant at) {
                return call(crash, "batches.planNext", () -> batches.planNext(campaign, firstIndex, ids, batchSize, at));
            }

            @Override
            public Optional<Batch> find(BatchId id) {
                return call(crash, "batches.find", () -> batches.find(id));
            }

            @Override
            public Optional<CampaignId> campaignOf(BatchId id) {
                return call(crash, "batches.campaignOf", () -> batches.campaignOf(id));
            }

            @Override
            public List<Batch> byCampaign(CampaignId campaign) {
                return call(crash, "batches.byCampaign", () -> batches.byCampaign(campaign));
            }

            @Override
            public List<dev.basenft.core.model.BatchOverview> overviews(CampaignId campaign,
                    Optional<Integer> afterIndex, int limit) {
                return call(crash, "batches.overviews", () -> batches.overviews(campaign, afterIndex, limit));
            }

            @Override
            public dev.basenft.core.model.FeesPaid feesPaid(CampaignId campaign) {
                return call(crash, "batches.feesPaid", () -> batches.feesPaid(campaign));
            }

            @Override
            public List<Batch> open(Optional<BatchId> after, int limit) {
                return call(crash, "batches.open", () -> batches.open(after, limit));
            }

            @Override
            public List<Batch> failed(Optional<BatchId> after, int limit) {
                return call(crash, "batches.failed", () -> batches.failed(after, limit));
            }

            @Override
            public Map<BatchStatus, Long> countByStatus(CampaignId campaign) {
                return call(crash, "batches.countByStatus", () -> batches.countByStatus(campaign));
            }

            @Override
            public Optional<Batch> claim(Claim claim) {
                return call(crash, "batches.claim", () -> batches.claim(claim));
            }

            @Override
            public boolean release(Claim claim, Optional<String> waiting) {
                return call(crash, "batches.release", () -> batches.release(claim, waiting));
            }

            @Override
            public boolean complete(BatchId id, MintReceipt receipt) {
                return call(crash, "batches.complete", () -> batches.complete(id, receipt));
            }

            @Override
            public boolean fail(Claim claim, String error) {
                return call(crash, "batches.fail", () -> batches.fail(claim, error));
            }

            @Override
            public Optional<Batch> requeue(BatchId id) {
                return call(crash, "batches.requeue", () -> batches.requeue(id));
            }

            @Override
            public int cancelPending(CampaignId campaign) {
                return call(crash, "batches.cancelPending", () -> batches.cancelPending(campaign));
            }

            @Override
            public boolean withdraw(Claim claim) {
                return call(crash, "batches.withdraw", () -> batches.withdraw(claim));
            }
        };
    }

    static TransactionLedger ledger(TransactionLedger ledger, CrashInjector crash) {
        return new TransactionLedger() {
            @Override
            public Optional<StoredTransaction> writeAheadWithin(Claim claim, Address wallet, int maxInFlight, long minedBelow,
                    LongFunction<SignedTransaction> signer) {
                return call(crash, "ledger.writeAhead", () -> ledger.writeAheadWithin(claim, wallet, maxInFlight,
                        minedBelow, signer));
            }

            @Override
            public StoredTransaction recordReplacement(Claim claim, SignedTransaction replacement) {
                return call(crash, "ledger.recordReplacement", () -> ledger.recordReplacement(claim, replacement));
            }

            @Override
            public List<StoredTransaction> forBatch(BatchId batchId) {
                return call(crash, "ledger.forBatch", () -> ledger.forBatch(batchId));
            }

            @Override
            public Map<BatchId, List<StoredTransaction>> forBatches(java.util.Collection<BatchId> batchIds) {
                return call(crash, "ledger.forBatches", () -> ledger.forBatches(batchIds));
            }

            @Override
            public int inFlight(Address wallet) {
                return call(crash, "ledger.inFlight", () -> ledger.inFlight(wallet));
            }

            @Override
            public long nextNonce(Address wallet) {
                return call(crash, "ledger.nextNonce", () -> ledger.nextNonce(wallet));
            }

            @Override
            public void resyncNonce(Address wallet, long chainPendingNonce) {
                call(crash, "ledger.resyncNonce", () -> {
                    ledger.resyncNonce(wallet, chainPendingNonce);
                    return null;
                });
            }

            @Override
            public List<StoredTransaction> transactionsFrom(Address wallet, long fromNonce) {
                return call(crash, "ledger.transactionsFrom", () -> ledger.transactionsFrom(wallet, fromNonce));
            }

            @Override
            public FillerTransaction recordFiller(FillerTransaction filler) {
                return call(crash, "ledger.recordFiller", () -> ledger.recordFiller(filler));
            }

            @Override
            public List<FillerTransaction> fillersFrom(Address wallet, long fromNonce) {
                return call(crash, "ledger.fillersFrom", () -> ledger.fillersFrom(wallet, fromNonce));
            }
        };
    }

    static Campaigns campaigns(Campaigns campaigns, CrashInjector crash) {
        return new Campaigns() {
            @Override
            public void create(Campaign campaign) {
                call(crash, "campaigns.create", () -> {
                    campaigns.create(campaign);
                    return null;
                });
            }

            @Override
            public Optional<Campaign> find(CampaignId id) {
                return call(crash, "campaigns.find", () -> campaigns.find(id));
            }

            @Override
            public Optional<CampaignWithSummary> findWithSummary(CampaignId id) {
                return call(crash, "campaigns.findWithSummary", () -> campaigns.findWithSummary(id));
            }

            @Override
            public List<Campaign> listByOwner(Fid owner, Optional<CampaignId> after, int limit) {
                return call(crash, "campaigns.listByOwner", () -> campaigns.listByOwner(owner, after, limit));
            }

            @Override
            public Attachment attachCollection(CampaignId id, CollectionDeployment deployment) {
                return call(crash, "campaigns.attachCollection", () -> campaigns.attachCollection(id, deployment));
            }

            @Override
            public boolean updateStatus(CampaignId id, CampaignStatus expected, CampaignStatus next) {
                return call(crash, "campaigns.updateStatus", () -> campaigns.updateStatus(id, expected, next));
            }
        };
    }
}
