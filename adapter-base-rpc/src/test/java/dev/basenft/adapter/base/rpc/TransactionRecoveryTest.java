package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write-ahead recovery moves (layer 4 of docs/architecture.md#exactly-once) on a chain that mines only when told
 * ({@code --no-mining}): a dropped transaction rebroadcast from its stored raw bytes, and a stuck one replaced on the
 * same nonce with fees raised by 10 %.
 */
class TransactionRecoveryTest {

    private static DevChain dev;
    private static BaseRpcChain chain;

    @BeforeAll
    static void start() {
        dev = DevChain.start("--no-mining");
        chain = dev.connect();
    }

    @AfterAll
    static void stop() {
        chain.close();
        dev.close();
    }

    @BeforeEach
    void emptyPool() {
        // DevChain's setup transactions and earlier tests leave nothing behind.
        dev.rpc.mine();
        assertThat(dev.rpc.call("txpool_status").get("pending").asText()).isEqualTo("0x0");
    }

    private static MintCall freshMint() {
        MintCall call = new MintCall(dev.createCollection("Recovery", "R", ""), DevChain.randomKey(), DevChain.freshAddresses(2));
        dev.rpc.mine();
        return call;
    }

    private static long tokens(MintCall call) {
        return Calls.decodeUint(dev.rpc.ethCall(null, call.collection(), Calls.encode("balanceOf",
                Calls.address(call.recipients().getFirst())))).longValueExact();
    }

    @Test
    void aDroppedTransactionIsRebroadcastFromItsStoredRawBytesAndMinedOnce() {
        MintCall call = freshMint();
        long nonce = chain.pendingNonce(dev.minter);
        SignedTransaction signed = chain.signMint(call, nonce, chain.quoteMint(call));
        // What the ledger stores and reads back after a crash: the fields, not the object.
        SignedTransaction stored = new SignedTransaction(signed.hash(), signed.raw(), signed.from(), signed.nonce(),
                signed.gasLimit(), signed.fees());

        assertThat(chain.broadcast(signed)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(signed.hash()));
        assertThat(chain.status(signed.hash())).isEqualTo(new TransactionStatus.Pending());

        dev.rpc.call("anvil_dropTransaction", signed.hash().value());
        assertThat(chain.status(signed.hash())).isEqualTo(new TransactionStatus.Unknown());
        assertThat(chain.pendingNonce(dev.minter)).as("the nonce is free again").isEqualTo(nonce);

        assertThat(chain.broadcast(stored)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(signed.hash()));
        assertThat(chain.status(signed.hash())).isEqualTo(new TransactionStatus.Pending());
        dev.rpc.mine();

        MintReceipt receipt = ((TransactionStatus.Mined) chain.status(signed.hash())).receipt();
        assertThat(receipt.succeeded()).isTrue();
        assertThat(receipt.tokens()).hasSize(2);
        assertThat(chain.latestNonce(dev.minter)).isEqualTo(nonce + 1);
        assertThat(tokens(call)).isEqualTo(1);
    }

    @Test
    void aStuckTransactionIsReplacedOnTheSameNonceWithTenPercentHigherFees() {
        MintCall call = freshMint();
        long nonce = chain.pendingNonce(dev.minter);
        MintQuote quote = chain.quoteMint(call);
        SignedTransaction stuck = chain.signMint(call, nonce, quote);
        assertThat(chain.broadcast(stuck)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(stuck.hash()));

        // The same fees do not replace it (a different gas limit makes it a different transaction).
        SignedTransaction sameFees = chain.signMint(call, nonce, new MintQuote(quote.gasLimit() + 1, quote.fees()));
        assertThat(chain.broadcast(sameFees)).isInstanceOfSatisfying(BroadcastResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(ChainFailure.UNDERPRICED));

        // What the worker does (core's Fees.bumped): +10 % on both caps, never below the market.
        Fees bumped = stuck.fees().bumped(10, chain.currentFees());
        assertThat(bumped.maxFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(stuck.fees().maxFeePerGas().value().multiply(BigInteger.valueOf(110)));
        assertThat(bumped.maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(stuck.fees().maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(110)));
        SignedTransaction replacement = chain.signMint(call, nonce, new MintQuote(stuck.gasLimit(), bumped));
        assertThat(replacement.hash()).isNotEqualTo(stuck.hash());
        assertThat(chain.broadcast(replacement)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(replacement.hash()));
        assertThat(chain.pendingNonce(dev.minter)).as("no extra nonce").isEqualTo(nonce + 1);

        dev.rpc.mine();

        assertThat(chain.status(replacement.hash())).isInstanceOfSatisfying(TransactionStatus.Mined.class,
                mined -> assertThat(mined.receipt().succeeded()).isTrue());
        assertThat(chain.status(stuck.hash())).as("the replaced one is gone").isEqualTo(new TransactionStatus.Unknown());
        assertThat(chain.latestNonce(dev.minter)).isEqualTo(nonce + 1);
        assertThat(chain.pendingNonce(dev.minter)).isEqualTo(nonce + 1);
        assertThat(tokens(call)).as("minted once").isEqualTo(1);
        // The stored original, rebroadcast now, cannot land: its nonce is taken by its replacement.
        assertThat(chain.broadcast(stuck)).isInstanceOfSatisfying(BroadcastResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(ChainFailure.NONCE_TOO_LOW));
        assertThat(chain.findMint(call.collection(), call.batchKey(), 0).orElseThrow().hash()).isEqualTo(replacement.hash());
    }

    @Test
    void aPendingTransactionSentAgainIsAlreadyKnown() {
        MintCall call = freshMint();
        SignedTransaction tx = chain.signMint(call, chain.pendingNonce(dev.minter), chain.quoteMint(call));
        assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        assertThat(dev.rpc.call("txpool_status").get("pending").asText()).isEqualTo("0x1");
        dev.rpc.mine();
        assertThat(tokens(call)).isEqualTo(1);
    }
}
