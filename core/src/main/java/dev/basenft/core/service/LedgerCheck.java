package dev.basenft.core.service;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.out.Chain;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the node says about a batch's stored transactions: whether one is mined, whether any is still pending, and which
 * nonces earlier runs spent on reverts. Asks about every stored hash, since one may be mined even when a later replacement
 * is the one being watched. Stateless apart from the chain; thread-safe. Arguments must not be null.
 */
final class LedgerCheck {

    /**
     * @param mined the receipt that settles this run, when one is mined
     * @param anyPending whether the node still holds any of them in its mempool
     * @param retiredNonces nonces spent by transactions of earlier runs that reverted
     */
    record Checked(Optional<MintReceipt> mined, boolean anyPending, Set<Long> retiredNonces) {
    }

    private final Chain chain;

    LedgerCheck(Chain chain) {
        this.chain = chain;
    }

    /**
     * Checks {@code stored}, the batch's transactions in the order they were stored. A transaction of an earlier run that
     * reverted is not an answer for this run: its failure was reported, and the batch was retried since.
     */
    Checked check(Batch batch, List<StoredTransaction> stored) {
        boolean anyPending = false;
        Set<Long> retiredNonces = new HashSet<>();
        for (StoredTransaction tx : stored) {
            TransactionStatus status = chain.status(tx.hash());
            if (status instanceof TransactionStatus.Mined mined) {
                if (retiredByRetry(batch, tx, mined.receipt())) {
                    retiredNonces.add(tx.nonce());
                    continue;
                }
                return new Checked(Optional.of(mined.receipt()), false, Set.of());
            }
            anyPending |= status instanceof TransactionStatus.Pending;
        }
        return new Checked(Optional.empty(), anyPending, retiredNonces);
    }

    /** Whether {@code receipt}, of {@code tx}, reverted in an earlier run, whose failure was reported: no answer now. */
    static boolean retiredByRetry(Batch batch, StoredTransaction tx, MintReceipt receipt) {
        return !receipt.succeeded() && receipt.failure() != ChainFailure.BATCH_KEY_USED && tx.run() < batch.run();
    }
}
