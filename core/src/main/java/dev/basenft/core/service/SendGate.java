package dev.basenft.core.service;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.out.Chain;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Whether a fresh mint may be signed now: the fee ceiling and the minter's balance. Either makes the batch wait, not fail:
 * each is a condition that passes by itself. (The in-flight cap is checked by the ledger's write-ahead, atomically with
 * the nonce.) Thread-safe. Arguments must not be null.
 */
final class SendGate {

    private static final System.Logger LOG = System.getLogger("dev.basenft.worker");

    private final Chain chain;
    private final DistributionSettings settings;

    SendGate(Chain chain, DistributionSettings settings) {
        this.chain = chain;
        this.settings = settings;
    }

    /** The {@code Delayed} outcome when the mint must wait, or empty when it may be signed and sent. */
    Optional<BatchOutcome> mustWait(Batch batch, MintQuote quote) {
        Optional<BatchOutcome> ceiling = aboveCeiling(batch, quote);
        if (ceiling.isPresent()) {
            return ceiling;
        }
        Wei balance = chain.balance(chain.minter());
        if (quote.maxCost().isGreaterThan(balance)) {
            LOG.log(Level.WARNING, "Minter balance too low, delaying batch {0}: minter {1} has {2}, the mint may cost {3}",
                    batch.id(), chain.minter(), balance, quote.maxCost());
            return Optional.of(new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "Minter balance too low"));
        }
        return Optional.empty();
    }

    /**
     * The fee ceiling alone: the {@code Delayed} outcome when the quote's max fee is above it, or empty. For fees read again
     * after a wait for an in-flight slot, where the balance, read before the wait, is not read again: that read would be
     * one more round trip per signing inside the process's serialized turn, and a balance that ran low meanwhile is still
     * caught by the node, which refuses the send with "insufficient funds" before anything is spent.
     */
    Optional<BatchOutcome> aboveCeiling(Batch batch, MintQuote quote) {
        if (quote.fees().maxFeePerGas().isGreaterThan(settings.maxFeePerGas())) {
            LOG.log(Level.WARNING, "Gas price above ceiling, delaying batch {0}: maxFeePerGas {1} > ceiling {2}", batch.id(),
                    quote.fees().maxFeePerGas(), settings.maxFeePerGas());
            return Optional.of(new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "gas price above ceiling"));
        }
        return Optional.empty();
    }
}
