package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.PlannedBatches;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WorkerIdentity;
import dev.basenft.core.testing.InMemoryStorage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.DynamicArray;

/**
 * A real reorganisation on anvil ({@code anvil_reorg}) of a mint that is not yet {@code CONFIRMATIONS} deep: the batch is
 * not completed early; the worker sends the very transaction it stored again, and settles it once deep on the token ids the
 * chain now holds (another minter's token took the first id of the new fork), each recipient owning exactly one.
 */
class ReorgOnAnvilTest {

    private static final int CONFIRMATIONS = 3;

    private static DevChain dev;
    private static BaseRpcChain chain;

    @BeforeAll
    static void start() {
        dev = DevChain.start();
        chain = dev.connect();
    }

    @AfterAll
    static void stop() {
        chain.close();
        dev.close();
    }

    @Test
    void aMintReorganisedOutBeforeItIsDeepIsSentAgainAsTheSameTransactionAndRecordedWithTheChainsTokenIds() {
        InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
        Address collection = dev.createCollection("Reorg", "RG", "");
        Batch batch = PlannedBatches.one(storage, collection, 3);
        BatchProcessor worker = new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, Clock.systemUTC()), Clock.systemUTC(),
                DistributionSettings.builder().confirmations(CONFIRMATIONS).build(), new WorkerIdentity("reorg-worker"),
                duration -> Thread.onSpinWait());
        storage.ledger().resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
        ProcessBatchCommand job = new ProcessBatchCommand(batch.id(), 0, 3);

        // Mined, then one block on top: not deep enough.
        assertAwaitingDepth(worker.process(job), "0 of 3");
        StoredTransaction stored = storage.ledger().forBatch(batch.id()).getFirst();
        MintReceipt before = mined(stored);
        dev.rpc.mine();
        assertAwaitingDepth(worker.process(job), "1 of 3");
        assertThat(storage.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(storage.recipients().countByStatus(batch.campaignId())).containsEntry(RecipientStatus.COMPLETED, 0L);

        // The mint's block and the one on top are replaced; in the new fork another minter's token comes first.
        long head = dev.rpc.blockNumber();
        dev.rpc.call("anvil_reorg", head - before.blockNumber() + 1, List.of());
        assertThat(chain.status(stored.hash())).isEqualTo(new TransactionStatus.Unknown());
        for (MintedToken token : before.tokens()) {
            assertThat(tokenCount(collection, token.to())).as("reorganised away").isZero();
        }
        dev.rpc.sendOk(dev.creator, collection, Calls.encode("grantRole", Calls.bytes32(Abi.MINTER_ROLE),
                Calls.address(dev.stranger)));
        Address outsider = DevChain.freshAddresses(1).getFirst();
        dev.rpc.sendOk(dev.stranger, collection, Calls.encode("mintBatch", Calls.bytes32(DevChain.randomKey().value()),
                new DynamicArray<>(org.web3j.abi.datatypes.Address.class, List.of(Calls.address(outsider)))));

        assertAwaitingDepth(worker.process(job), "0 of 3");
        MintReceipt after = mined(stored);
        assertThat(after.blockNumber()).isGreaterThan(before.blockNumber());
        for (int i = 0; i < CONFIRMATIONS; i++) {
            dev.rpc.mine();
        }
        BatchOutcome outcome = worker.process(job);

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(((BatchOutcome.Completed) outcome).receipt().hash()).isEqualTo(stored.hash());
        assertThat(storage.ledger().forBatch(batch.id())).as("one mint transaction signed for the batch").hasSize(1);
        List<TokenId> first = before.tokens().stream().map(MintedToken::tokenId).toList();
        List<Recipient> recipients = storage.recipients().list(batch.campaignId(), Optional.empty(), Optional.empty(), 100);
        assertThat(recipients).hasSize(3);
        for (Recipient recipient : recipients) {
            assertThat(recipient.status()).isEqualTo(RecipientStatus.COMPLETED);
            TokenId recorded = recipient.tokenId().orElseThrow();
            assertThat(ownerOf(collection, recorded)).as("owner of recorded token " + recorded).isEqualTo(recipient.address());
            assertThat(tokenCount(collection, recipient.address())).as("tokens of " + recipient.address()).isEqualTo(1);
            assertThat(recipient.txHash()).contains(stored.hash());
        }
        assertThat(recipients).extracting(r -> r.tokenId().orElseThrow()).as("the new fork's ids, not the first receipt's")
                .isNotEqualTo(first);
    }

    private static void assertAwaitingDepth(BatchOutcome outcome, String depth) {
        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).startsWith("awaiting confirmations: ").contains(depth);
    }

    private static MintReceipt mined(StoredTransaction stored) {
        TransactionStatus status = chain.status(stored.hash());
        assertThat(status).isInstanceOf(TransactionStatus.Mined.class);
        return ((TransactionStatus.Mined) status).receipt();
    }

    private static long tokenCount(Address collection, Address owner) {
        return Calls.decodeUint(dev.rpc.ethCall(null, collection, Calls.encode("balanceOf", Calls.address(owner))))
                .longValueExact();
    }

    private static Address ownerOf(Address collection, TokenId token) {
        String word = dev.rpc.ethCall(null, collection, Calls.encode("ownerOf", new org.web3j.abi.datatypes.generated.Uint256(
                token.value())));
        return Address.parse("0x" + word.substring(word.length() - 40));
    }
}
