package dev.basenft.adapter.base.rpc.testing;

import dev.basenft.adapter.base.rpc.BaseRpcChain;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import java.time.Duration;

/** Waits for a transaction to be mined, for tests: the worker itself never blocks on a receipt this way. */
public final class Mined {

    private Mined() {
    }

    /**
     * Polls {@code chain.status(hash)} every {@code receiptPollInterval} of its settings until the transaction is mined or
     * {@code timeout} has passed.
     *
     * @return {@link TransactionStatus.Mined}, or the last status seen when the time ran out
     */
    public static TransactionStatus await(BaseRpcChain chain, TxHash hash, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TransactionStatus status = chain.status(hash);
            if (status instanceof TransactionStatus.Mined || System.nanoTime() - deadline >= 0) {
                return status;
            }
            try {
                Thread.sleep(chain.settings().receiptPollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainUnavailableException("interrupted while waiting for the receipt of " + hash, e);
            }
        }
    }
}
