package dev.basenft.core.service;

import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.out.Chain;
import java.util.Optional;

/**
 * Whether a receipt is deep enough to act on. Depth is the number of blocks built on top of the receipt's block
 * ({@code head − receipt block}); a receipt is confirmed once its depth reaches {@link DistributionSettings#confirmations()},
 * and is then read again, so the batch is settled on what the chain says at that moment: a receipt that vanished or moved to
 * another block in between was reorganised. With 0 confirmations a receipt is confirmed as it is once the node's
 * {@code latest} block has reached the receipt's block; a receipt in a block not sealed yet (a Flashblocks preconfirmation,
 * whose block is above {@code latest}) waits for it, unless preconfirmations are accepted, when it is confirmed at once.
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
    private final boolean acceptPreconfirmations;

    ConfirmationCheck(Chain chain, int confirmations, boolean acceptPreconfirmations) {
        this.chain = chain;
        this.confirmations = confirmations;
        this.acceptPreconfirmations = acceptPreconfirmations;
    }

    /**
     * Whether {@code receipt} is a preconfirmation to wait out: at 0 confirmations, with preconfirmations not accepted, its
     * block is above the node's {@code latest}. One node call in that case; none otherwise (with more confirmations the depth
     * check below waits for the block anyway).
     */
    boolean unsealed(MintReceipt receipt) {
        return confirmations == 0 && !acceptPreconfirmations && chain.blockNumber() < receipt.blockNumber();
    }

    int required() {
        return confirmations;
    }

    Verdict check(MintReceipt receipt) {
        if (confirmations == 0) {
            if (acceptPreconfirmations) {
                return new Verdict.Confirmed(receipt);
            }
            // A receipt is not a mint until its block is sealed: a Flashblocks node shows receipts of the block it is
            // still building, which the sequencer may yet build differently.
            long head = chain.blockNumber();
            return head >= receipt.blockNumber() ? new Verdict.Confirmed(receipt)
                    : new Verdict.Shallow(receipt, head - receipt.blockNumber());
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
        if (shallow.depth() < 0) {
            return AWAITING + "tx " + r.hash() + " has a receipt in block " + r.blockNumber() + " that the node has not"
                    + " sealed yet (its latest block is " + (r.blockNumber() + shallow.depth()) + ")";
        }
        return AWAITING + "tx " + r.hash() + " mined in block " + r.blockNumber()
                + r.blockHash().map(h -> " (" + h + ")").orElse("") + " is " + Math.max(0, shallow.depth()) + " of "
                + confirmations + " blocks deep";
    }
}
