package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.internal.Hex;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Chain} as the worker relies on it: local deterministic signing, the node's mempool rules (already
 * known, nonce too low, replacement only with higher fees, insufficient funds), receipts with one Transfer per recipient,
 * and the collection's batch-key protection ({@code BatchAlreadyUsed} on estimate and in a mined receipt, read back by
 * {@link Chain#findMint}).
 *
 * <p>Implement {@link #newChain()}. Everything the fixture must do is possible on an anvil node: automine on/off
 * ({@code evm_setAutomine}), {@code evm_mine}, {@code anvil_setBalance}, and pausing or revoking roles with the admin key.
 * The tests never assume a nonce or block number: they read where the wallet stands first, so a fixture may share one node
 * between tests as long as each gets a fresh collection.
 */
public abstract class ChainContract {

    private ChainFixture fixture;
    private Chain chain;
    private Address collection;

    /**
     * Returns a chain to test with a freshly deployed collection whose MINTER_ROLE the minter holds, not paused, with
     * automine on and the minter funded. Called before each test; {@link ChainFixture#close()} after it.
     *
     * @return never null
     */
    protected abstract ChainFixture newChain();

    @BeforeEach
    protected final void openChain() {
        fixture = newChain();
        chain = fixture.chain();
        collection = fixture.collection();
    }

    @AfterEach
    protected final void closeChain() {
        fixture.automine(true);
        fixture.close();
    }

    private static BatchKey freshKey() {
        return BatchKey.derive(new CampaignId(UUID.randomUUID()), ThreadLocalRandom.current().nextInt(0, 1_000));
    }

    private static List<Address> recipients(int count) {
        List<Address> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[20];
            ThreadLocalRandom.current().nextBytes(bytes);
            bytes[0] |= 1;
            out.add(Address.ofBytes(bytes));
        }
        return out;
    }

    private MintCall freshMint(int size) {
        return new MintCall(collection, freshKey(), recipients(size));
    }

    private SignedTransaction signAtNextNonce(MintCall call) {
        return chain.signMint(call, chain.pendingNonce(chain.minter()), chain.quoteMint(call));
    }

    private MintReceipt mined(TxHash hash) {
        TransactionStatus status = chain.status(hash);
        assertThat(status).as("status of " + hash).isInstanceOf(TransactionStatus.Mined.class);
        return ((TransactionStatus.Mined) status).receipt();
    }

    /** A quote with room for the call's gas, priced at market: for sending what an estimate would refuse. */
    private MintQuote forcedQuote() {
        return new MintQuote(2_000_000, chain.currentFees());
    }

    @Test
    void answersTheConfiguredChainId() {
        assertThat(chain.chainId()).isEqualTo(fixture.expectedChainId());
    }

    @Test
    void mintsOneTokenPerRecipientWithDistinctIds() {
        MintCall call = freshMint(3);
        long nonce = chain.pendingNonce(chain.minter());
        SignedTransaction tx = signAtNextNonce(call);

        BroadcastResult result = chain.broadcast(tx);

        assertThat(result).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        MintReceipt receipt = mined(tx.hash());
        // A receipt sent back with the acceptance (eth_sendRawTransactionSync) is the one the node shows.
        ((BroadcastResult.Accepted) result).receipt().ifPresent(returned -> assertThat(returned).isEqualTo(receipt));
        assertThat(receipt.succeeded()).isTrue();
        assertThat(receipt.failure()).isEqualTo(ChainFailure.NONE);
        assertThat(receipt.tokens()).extracting(MintedToken::to).containsExactlyElementsOf(call.recipients());
        assertThat(receipt.tokens()).extracting(MintedToken::tokenId).doesNotHaveDuplicates();
        assertThat(receipt.gasUsed()).isPositive().isLessThanOrEqualTo(tx.gasLimit());
        for (Address recipient : call.recipients()) {
            assertThat(fixture.tokenCount(collection, recipient)).as("tokens of " + recipient).isEqualTo(1);
        }
        assertThat(chain.latestNonce(chain.minter())).isEqualTo(nonce + 1);
    }

    @Test
    void signsLocallyAndDeterministicallyWithoutUsingTheNonce() {
        MintCall call = freshMint(2);
        long nonce = chain.pendingNonce(chain.minter());
        MintQuote quote = chain.quoteMint(call);

        SignedTransaction once = chain.signMint(call, nonce, quote);
        SignedTransaction twice = chain.signMint(call, nonce, quote);

        assertThat(twice).isEqualTo(once);
        assertThat(once.from()).isEqualTo(chain.minter());
        assertThat(once.nonce()).isEqualTo(nonce);
        assertThat(once.gasLimit()).isEqualTo(quote.gasLimit());
        assertThat(once.fees()).isEqualTo(quote.fees());
        assertThat(chain.pendingNonce(chain.minter())).isEqualTo(nonce);
        assertThat(chain.status(once.hash())).isEqualTo(new TransactionStatus.Unknown());
    }

    @Test
    void quotesEnoughGasForTheMint() {
        MintCall call = freshMint(10);
        MintQuote quote = chain.quoteMint(call);
        SignedTransaction tx = chain.signMint(call, chain.pendingNonce(chain.minter()), quote);

        chain.broadcast(tx);

        MintReceipt receipt = mined(tx.hash());
        assertThat(receipt.succeeded()).isTrue();
        assertThat(quote.gasLimit()).isGreaterThanOrEqualTo(receipt.gasUsed());
        assertThat(quote.fees().maxFeePerGas()).isGreaterThanOrEqualTo(quote.fees().maxPriorityFeePerGas());
    }

    @Test
    void acceptsAPendingTransactionAgainAsAlreadyKnownAndMintsItOnce() {
        fixture.automine(false);
        MintCall call = freshMint(2);
        long nonce = chain.pendingNonce(chain.minter());
        SignedTransaction tx = signAtNextNonce(call);

        assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        assertThat(chain.status(tx.hash())).isEqualTo(new TransactionStatus.Pending());
        assertThat(chain.pendingNonce(chain.minter())).isEqualTo(nonce + 1);
        assertThat(chain.latestNonce(chain.minter())).isEqualTo(nonce);

        fixture.mine();

        assertThat(mined(tx.hash()).succeeded()).isTrue();
        assertThat(fixture.tokenCount(collection, call.recipients().getFirst())).isEqualTo(1);
    }

    @Test
    void mintsNothingMoreWhenAMinedTransactionIsSentAgain() {
        MintCall call = freshMint(2);
        SignedTransaction tx = signAtNextNonce(call);
        chain.broadcast(tx);
        mined(tx.hash());

        BroadcastResult again = chain.broadcast(tx);

        if (again instanceof BroadcastResult.Rejected rejected) {
            assertThat(rejected.failure()).isEqualTo(ChainFailure.NONCE_TOO_LOW);
        }
        assertThat(fixture.tokenCount(collection, call.recipients().getFirst())).isEqualTo(1);
    }

    @Test
    void rejectsAnotherTransactionOnAUsedNonceAsTooLow() {
        SignedTransaction first = signAtNextNonce(freshMint(1));
        chain.broadcast(first);
        mined(first.hash());
        MintCall other = freshMint(1);

        BroadcastResult result = chain.broadcast(chain.signMint(other, first.nonce(), chain.quoteMint(other)));

        assertThat(result).isInstanceOf(BroadcastResult.Rejected.class);
        assertThat(((BroadcastResult.Rejected) result).failure()).isEqualTo(ChainFailure.NONCE_TOO_LOW);
        assertThat(fixture.tokenCount(collection, other.recipients().getFirst())).isZero();
    }

    @Test
    void replacesAPendingTransactionOnlyWithHigherFees() {
        fixture.automine(false);
        MintCall call = freshMint(2);
        long nonce = chain.pendingNonce(chain.minter());
        MintQuote quote = chain.quoteMint(call);
        SignedTransaction original = chain.signMint(call, nonce, quote);
        chain.broadcast(original);

        SignedTransaction sameFees = chain.signMint(call, nonce, new MintQuote(quote.gasLimit() + 1, quote.fees()));
        BroadcastResult underpriced = chain.broadcast(sameFees);
        SignedTransaction bumped = chain.signMint(call, nonce, new MintQuote(quote.gasLimit(),
                quote.fees().bumped(12, quote.fees())));
        BroadcastResult replaced = chain.broadcast(bumped);
        fixture.mine();

        assertThat(underpriced).isInstanceOf(BroadcastResult.Rejected.class);
        assertThat(((BroadcastResult.Rejected) underpriced).failure()).isEqualTo(ChainFailure.UNDERPRICED);
        assertThat(replaced).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(bumped.hash()));
        assertThat(mined(bumped.hash()).succeeded()).isTrue();
        assertThat(chain.status(original.hash())).isEqualTo(new TransactionStatus.Unknown());
        assertThat(chain.latestNonce(chain.minter())).isEqualTo(nonce + 1);
        assertThat(fixture.tokenCount(collection, call.recipients().getFirst())).isEqualTo(1);
    }

    @Test
    void countsPendingTransactionsInThePendingNonceOnly() {
        fixture.automine(false);
        long nonce = chain.pendingNonce(chain.minter());
        MintCall first = freshMint(1);
        MintCall second = freshMint(1);
        chain.broadcast(chain.signMint(first, nonce, chain.quoteMint(first)));
        chain.broadcast(chain.signMint(second, nonce + 1, chain.quoteMint(second)));

        assertThat(chain.pendingNonce(chain.minter())).isEqualTo(nonce + 2);
        assertThat(chain.latestNonce(chain.minter())).isEqualTo(nonce);

        fixture.mine();

        assertThat(chain.latestNonce(chain.minter())).isEqualTo(nonce + 2);
        assertThat(chain.pendingNonce(chain.minter())).isEqualTo(nonce + 2);
    }

    @Test
    void refusesABatchKeyTwiceAndReadsTheFirstMintBack() {
        MintCall call = freshMint(3);
        SignedTransaction first = signAtNextNonce(call);
        chain.broadcast(first);
        MintReceipt original = mined(first.hash());
        assertThat(chain.batchKeyUsed(collection, call.batchKey())).isTrue();

        MintCall again = new MintCall(collection, call.batchKey(), recipients(3));
        assertThatThrownBy(() -> chain.quoteMint(again))
                .isInstanceOfSatisfying(ChainRejectedException.class,
                        e -> assertThat(e.failure()).isEqualTo(ChainFailure.BATCH_KEY_USED));

        SignedTransaction forced = chain.signMint(again, chain.pendingNonce(chain.minter()), forcedQuote());
        chain.broadcast(forced);
        MintReceipt reverted = mined(forced.hash());

        assertThat(reverted.succeeded()).isFalse();
        assertThat(reverted.failure()).isEqualTo(ChainFailure.BATCH_KEY_USED);
        assertThat(reverted.tokens()).isEmpty();
        assertThat(fixture.tokenCount(collection, again.recipients().getFirst())).isZero();
        assertThat(chain.findMint(collection, call.batchKey(), 0)).hasValueSatisfying(found -> {
            assertThat(found.hash()).isEqualTo(first.hash());
            assertThat(found.tokens()).isEqualTo(original.tokens());
        });
    }

    @Test
    void readsPinnedToABlockDescribeTheChainAsItWasThen() {
        long before = chain.blockNumber();
        long nonceBefore = chain.nonceAt(chain.minter(), before);
        MintCall call = freshMint(2);
        SignedTransaction tx = signAtNextNonce(call);
        chain.broadcast(tx);
        MintReceipt receipt = mined(tx.hash());
        long after = chain.blockNumber();

        assertThat(after).isGreaterThanOrEqualTo(receipt.blockNumber()).isGreaterThan(before);
        assertThat(chain.nonceAt(chain.minter(), before)).as("nonce as of the block before the mint").isEqualTo(nonceBefore);
        assertThat(chain.nonceAt(chain.minter(), after)).isEqualTo(nonceBefore + 1).isEqualTo(chain.latestNonce(chain.minter()));
        assertThat(chain.batchKeyUsedAt(collection, call.batchKey(), receipt.blockNumber() - 1)).isFalse();
        assertThat(chain.batchKeyUsedAt(collection, call.batchKey(), receipt.blockNumber())).isTrue();
        assertThat(chain.batchKeyUsedAt(collection, freshKey(), after)).isFalse();
    }

    @Test
    void aReadPinnedToABlockTheNodeHasNotReachedIsUnavailableNotAnOlderAnswer() {
        long ahead = chain.blockNumber() + 1_000;

        assertThatThrownBy(() -> chain.nonceAt(chain.minter(), ahead)).isInstanceOf(ChainUnavailableException.class);
        assertThatThrownBy(() -> chain.batchKeyUsedAt(collection, freshKey(), ahead))
                .isInstanceOf(ChainUnavailableException.class);
    }

    @Test
    void knowsNothingOfAnUnusedBatchKey() {
        BatchKey unused = freshKey();

        assertThat(chain.batchKeyUsed(collection, unused)).isFalse();
        assertThat(chain.findMint(collection, unused, 0)).isEmpty();
    }

    @Test
    void refusesToMintOnAPausedCollectionUntilUnpaused() {
        MintCall call = freshMint(1);
        fixture.pause(collection);

        assertThatThrownBy(() -> chain.quoteMint(call))
                .isInstanceOfSatisfying(ChainRejectedException.class,
                        e -> assertThat(e.failure()).isEqualTo(ChainFailure.PAUSED));
        SignedTransaction forced = chain.signMint(call, chain.pendingNonce(chain.minter()), forcedQuote());
        chain.broadcast(forced);
        MintReceipt reverted = mined(forced.hash());
        assertThat(reverted.succeeded()).isFalse();
        assertThat(reverted.failure()).isEqualTo(ChainFailure.PAUSED);

        fixture.unpause(collection);

        assertThat(chain.quoteMint(call).gasLimit()).isPositive();
    }

    @Test
    void refusesToMintWithoutTheMinterRole() {
        MintCall call = freshMint(1);
        fixture.revokeMinterRole(collection);

        assertThatThrownBy(() -> chain.quoteMint(call))
                .isInstanceOfSatisfying(ChainRejectedException.class,
                        e -> assertThat(e.failure()).isEqualTo(ChainFailure.MISSING_ROLE));
    }

    @Test
    void saysANeverSentHashIsUnknown() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);

        assertThat(chain.status(new TxHash(Hex.encode(bytes)))).isEqualTo(new TransactionStatus.Unknown());
    }

    @Test
    void rejectsATransactionTheMinterCannotPayFor() {
        MintCall call = freshMint(2);
        MintQuote quote = chain.quoteMint(call);
        long nonce = chain.pendingNonce(chain.minter());
        Wei funds = chain.balance(chain.minter());
        fixture.setMinterBalance(new Wei(quote.maxCost().value().subtract(BigInteger.ONE)));
        try {
            BroadcastResult result = chain.broadcast(chain.signMint(call, nonce, quote));

            assertThat(result).isInstanceOf(BroadcastResult.Rejected.class);
            assertThat(((BroadcastResult.Rejected) result).failure()).isEqualTo(ChainFailure.INSUFFICIENT_FUNDS);
            assertThat(chain.latestNonce(chain.minter())).isEqualTo(nonce);
            assertThat(fixture.tokenCount(collection, call.recipients().getFirst())).isZero();
        } finally {
            fixture.setMinterBalance(funds);
        }
    }

    @Test
    void reportsMarketFeesByTheBaseFeeRule() {
        Fees fees = chain.currentFees();

        assertThat(fees.maxFeePerGas()).isGreaterThan(fees.maxPriorityFeePerGas());
        assertThat(chain.balance(chain.minter())).isGreaterThan(Wei.ZERO);
    }

    @Test
    void aFillerSpendsItsNonceOnAZeroValueSelfTransferAndMintsNothing() {
        long nonce = chain.pendingNonce(chain.minter());
        Fees fees = chain.currentFees();
        SignedTransaction filler = chain.signFiller(nonce, fees);

        assertThat(chain.signFiller(nonce, fees)).as("signed deterministically").isEqualTo(filler);
        assertThat(filler.from()).isEqualTo(chain.minter());
        assertThat(filler.nonce()).isEqualTo(nonce);
        assertThat(filler.gasLimit()).isEqualTo(FillerTransaction.GAS_LIMIT);
        assertThat(filler.fees()).isEqualTo(fees);
        assertThat(chain.status(filler.hash())).as("signing sends nothing").isEqualTo(new TransactionStatus.Unknown());

        assertThat(chain.broadcast(filler)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(filler.hash()));

        MintReceipt receipt = mined(filler.hash());
        assertThat(receipt.succeeded()).isTrue();
        assertThat(receipt.tokens()).isEmpty();
        assertThat(receipt.gasUsed()).isEqualTo(FillerTransaction.GAS_LIMIT);
        assertThat(chain.latestNonce(chain.minter())).isEqualTo(nonce + 1);
    }

    @Test
    void aFillerWithHigherFeesTakesAPendingMintsNonceSoTheMintNeverLands() {
        fixture.automine(false);
        MintCall call = freshMint(1);
        long nonce = chain.pendingNonce(chain.minter());
        MintQuote quote = chain.quoteMint(call);
        SignedTransaction mint = chain.signMint(call, nonce, quote);
        chain.broadcast(mint);

        SignedTransaction filler = chain.signFiller(nonce, quote.fees().bumped(12, quote.fees()));
        BroadcastResult result = chain.broadcast(filler);
        fixture.mine();

        assertThat(result).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(filler.hash()));
        assertThat(mined(filler.hash()).succeeded()).isTrue();
        assertThat(chain.status(mint.hash())).isEqualTo(new TransactionStatus.Unknown());
        assertThat(chain.broadcast(mint)).isInstanceOfSatisfying(BroadcastResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(ChainFailure.NONCE_TOO_LOW));
        assertThat(chain.batchKeyUsed(collection, call.batchKey())).isFalse();
        assertThat(fixture.tokenCount(collection, call.recipients().getFirst())).isZero();
    }

    @Test
    void reportsItsHeadSoAReceiptsDepthCanBeCounted() {
        SignedTransaction tx = signAtNextNonce(freshMint(1));
        chain.broadcast(tx);
        MintReceipt receipt = mined(tx.hash());
        long head = chain.blockNumber();

        assertThat(head).isGreaterThanOrEqualTo(receipt.blockNumber());
        assertThat(receipt.blockHash()).as("the receipt names its block").isPresent();
        fixture.mine();
        fixture.mine();

        assertThat(chain.blockNumber()).isEqualTo(head + 2);
        assertThat(mined(tx.hash())).as("the same receipt, two blocks deeper").isEqualTo(receipt);
    }

    @Test
    void forgetsAReorganisedMintAndMintsItOnceWhenTheSameBytesAreSentAgain() {
        MintCall call = freshMint(2);
        long nonce = chain.pendingNonce(chain.minter());
        SignedTransaction tx = signAtNextNonce(call);
        chain.broadcast(tx);
        MintReceipt before = mined(tx.hash());
        long head = chain.blockNumber();

        fixture.reorg((int) (head - before.blockNumber() + 1));

        assertThat(chain.blockNumber()).as("replaced by as many blocks").isEqualTo(head);
        assertThat(chain.status(tx.hash())).isNotInstanceOf(TransactionStatus.Mined.class);
        assertThat(chain.latestNonce(chain.minter())).as("its nonce is free again").isEqualTo(nonce);
        assertThat(chain.batchKeyUsed(collection, call.batchKey())).isFalse();
        assertThat(chain.findMint(collection, call.batchKey(), 0)).isEmpty();
        assertThat(fixture.tokenCount(collection, call.recipients().getFirst())).isZero();

        assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        MintReceipt after = mined(tx.hash());

        assertThat(after.succeeded()).isTrue();
        assertThat(after.sameBlockAs(before)).as("mined in another block").isFalse();
        assertThat(after.blockHash()).isPresent().isNotEqualTo(before.blockHash());
        for (Address recipient : call.recipients()) {
            assertThat(fixture.tokenCount(collection, recipient)).as("tokens of " + recipient).isEqualTo(1);
        }
        assertThat(chain.findMint(collection, call.batchKey(), 0)).hasValueSatisfying(
                found -> assertThat(found.tokens()).isEqualTo(after.tokens()));
    }

    /**
     * A chain under test with one fresh collection, and the operator's levers on it. Implementations need not be
     * thread-safe.
     */
    public interface ChainFixture extends AutoCloseable {

        /** The chain adapter under test; never null. */
        Chain chain();

        /** The chain id the node is configured with. */
        ChainId expectedChainId();

        /** A collection deployed for this test through the factory: MINTER_ROLE granted to the minter, not paused. */
        Address collection();

        /** Pauses the collection (its PAUSER_ROLE holder calls {@code pause()}). */
        void pause(Address collection);

        void unpause(Address collection);

        /** Revokes the minter's MINTER_ROLE on the collection. */
        void revokeMinterRole(Address collection);

        /** Turns mining on every transaction on or off ({@code evm_setAutomine}). */
        void automine(boolean on);

        /** Mines one block now ({@code evm_mine}). */
        void mine();

        /** Sets the minter's balance ({@code anvil_setBalance}). */
        void setMinterBalance(Wei balance);

        /** How many tokens of {@code collection} {@code owner} holds ({@code balanceOf}). */
        long tokenCount(Address collection, Address owner);

        /**
         * Replaces the last {@code depth} blocks with as many empty ones ({@code anvil_reorg}): their transactions are
         * gone, unknown to the node.
         */
        void reorg(int depth);

        @Override
        void close();
    }
}
