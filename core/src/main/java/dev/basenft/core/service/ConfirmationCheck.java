package dev.basenft.core.service;

import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.out.Chain;
import java.util.Optional;

/**
 * Whether a receipt is deep enough to act on. Depth is the number of blocks built on top of the receipt's block
 * ({@code head − receipt block}); a receipt is confirmed once its depth reaches {@link DistributionSettings#confirmations()},
 * and is then read again, so the batch is settled on what the chain says at that moment: a receipt that vanished or moved to
 * another block in between was reorganised. With 0 confirmations every receipt is confirmed as it is, without a node call.
 * Stateless apart from the chain; thread-safe. Arguments must not be null.
 */
final class ConfirmationCheck {

    /** How a batch's error starts while it waits for depth: the API shows it, and a later attempt recognises it. */
    static final String AWAITING = "awaiting confirmations: ";

    /** What the chain says of a receipt now. */
    sealed interface Verdict {

        /** Deep enough; {@code receipt} is the one read at that moment. */
        record Confirmed(MintReceipt receipt) implements Verdict {
        }

        /** Not deep enough yet: {@code depth} blocks on top of it (negative when the node's head is behind it). */
        record Shallow(MintReceipt receipt, long depth) implements Verdict {
        }

        /**
         * Deep enough at first, but read again it is gone or in another block: the chain reorganised in between.
         *
         * @param now what the node says of the transaction now
         */
        record Reorganised(MintReceipt before, TransactionStatus now) implements Verdict {
        }
    }

    private final Chain chain;
    private final int confirmations;

    ConfirmationCheck(Chain chain, int confirmations) {
        this.chain = chain;
        this.confirmations = confirmations;
    }

    int required() {
        return confirmations;
    }

    Verdict check(MintReceipt receipt) {
        if (confirmations == 0) {
            return new Verdict.Confirmed(receipt);
        }
        long depth = chain.blockNumber() - receipt.blockNumber();
        if (depth < confirmations) {
            return new Verdict.Shallow(receipt, depth);
        }
        TransactionStatus now = chain.status(receipt.hash());
        Optional<MintReceipt> reread = now instanceof TransactionStatus.Mined mined ? Optional.of(mined.receipt())
                : Optional.empty();
        if (reread.isPresent() && reread.get().sameBlockAs(receipt)) {
            return new Verdict.Confirmed(reread.get());
        }
        return new Verdict.Reorganised(receipt, now);
    }

    /** The batch's error while {@code shallow} waits for depth. */
    String awaiting(Verdict.Shallow shallow) {
        MintReceipt r = shallow.receipt();
        return AWAITING + "tx " + r.hash() + " mined in block " + r.blockNumber()
                + r.blockHash().map(h -> " (" + h + ")").orElse("") + " is " + Math.max(0, shallow.depth()) + " of "
                + confirmations + " blocks deep";
    }
}
