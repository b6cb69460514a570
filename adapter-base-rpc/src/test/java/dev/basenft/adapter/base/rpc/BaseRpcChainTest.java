package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.adapter.base.rpc.testing.Mined;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.UnsignedCall;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.DeploymentCheck;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;

/** The adapter against a real anvil with our contracts, happy paths and every named refusal. */
class BaseRpcChainTest {

    private static DevChain dev;
    private static DevRpc rpc;
    private static BaseRpcChain chain;
    private static Address collection;

    @BeforeAll
    static void start() {
        dev = DevChain.start();
        rpc = dev.rpc;
        chain = dev.connect();
        collection = dev.createCollection("Campaign", "CMP", "ipfs://c/");
    }

    @AfterAll
    static void stop() {
        chain.close();
        dev.close();
    }

    private static SignedTransaction signNext(BaseRpcChain signer, MintCall call, MintQuote quote) {
        return signer.signMint(call, signer.pendingNonce(signer.minter()), quote);
    }

    private static MintReceipt mined(TransactionStatus status) {
        assertThat(status).isInstanceOf(TransactionStatus.Mined.class);
        return ((TransactionStatus.Mined) status).receipt();
    }

    /** Signs with a fixed gas limit (no estimate, so a doomed call still gets mined) and waits for its receipt. */
    private static MintReceipt mineWithGas(BaseRpcChain signer, MintCall call, long gas) {
        SignedTransaction tx = signNext(signer, call, new MintQuote(gas, signer.currentFees()));
        assertThat(signer.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        return mined(Mined.await(signer, tx.hash(), Duration.ofSeconds(10)));
    }

    private static Campaign campaign(String name, String symbol, String baseUri, ChainId chainId) {
        return Campaign.draft(new CampaignId(UUID.randomUUID()), new Fid(42), name, symbol, "", baseUri, chainId,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    // ------------------------------------------------------------------------------------------------ connecting

    @Test
    void connectRefusesEndpointsServingAnotherChainNamingBothIds() {
        BaseRpcSettings wrong = dev.settings().chainId(new ChainId(84532)).build();
        assertThatThrownBy(() -> BaseRpcChain.connect(wrong))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serves chain id 8453 but chain id 84532 is configured")
                .hasMessageContaining("http://127.0.0.1:" + dev.anvil.port());
    }

    @Test
    void connectWithoutAnyReachableEndpointStartsUnreadyAndEachCallIsATransportFailure() {
        URI dead = URI.create("http://127.0.0.1:" + AnvilProcess.freePort() + "/v2/secret-api-key");
        try (BaseRpcChain unready = BaseRpcChain.connect(dev.settings(dead).build())) {
            assertThatThrownBy(() -> unready.pendingNonce(dev.minter))
                    .isInstanceOf(ChainUnavailableException.class)
                    .hasMessageContaining("connection refused")
                    .hasMessageNotContaining("secret-api-key");
        }
    }

    // ----------------------------------------------------------------------------------------------------- reads

    @Test
    void readsTheLatestBlocksGasLimit() {
        BigInteger gasLimit = new BigInteger(rpc.call("eth_getBlockByNumber", "latest", false).get("gasLimit").asText()
                .substring(2), 16);

        assertThat(chain.blockGasLimit()).isEqualTo(gasLimit.longValueExact()).isEqualTo(30_000_000L);
    }

    @Test
    void readsChainIdNoncesBalanceAndMarketFees() {
        assertThat(chain.chainId()).isEqualTo(ChainId.BASE);
        assertThat(chain.minter()).isEqualTo(dev.minter);
        assertThat(chain.pendingNonce(dev.minter)).isEqualTo(rpc.nonce(dev.minter, "pending"));
        assertThat(chain.latestNonce(dev.minter)).isEqualTo(rpc.nonce(dev.minter, "latest"));
        BigInteger balance = new BigInteger(rpc.call("eth_getBalance", dev.minter.lowerCase(), "latest").asText().substring(2), 16);
        assertThat(chain.balance(dev.minter)).isEqualTo(new Wei(balance));
        assertThat(chain.balance(DevChain.freshAddresses(1).getFirst())).isEqualTo(Wei.ZERO);

        BigInteger baseFee = new BigInteger(rpc.call("eth_getBlockByNumber", "latest", false).get("baseFeePerGas").asText()
                .substring(2), 16);
        Fees fees = chain.currentFees();
        Wei priority = chain.settings().priorityFee();
        assertThat(fees).isEqualTo(new Fees(new Wei(baseFee.multiply(BigInteger.TWO).add(priority.value())), priority));
    }

    @Test
    void readinessReportsHeadLatencyMinterBalanceAndTheFactorysMinter() {
        Readiness ready = chain.readiness();
        assertThat(ready.blockNumber()).isBetween(rpc.blockNumber() - 1, rpc.blockNumber());
        assertThat(ready.latency()).isPositive().isLessThan(Duration.ofSeconds(5));
        assertThat(ready.endpoint()).isEqualTo("http://127.0.0.1:" + dev.anvil.port());
        assertThat(ready.minter()).isEqualTo(dev.minter);
        assertThat(ready.minterBalance()).isEqualTo(chain.balance(dev.minter));
        assertThat(ready.factory()).isEqualTo(dev.factory);
        assertThat(ready.factoryMinter()).contains(dev.minter);
        assertThat(ready.factoryMinterMatches()).isTrue();
        assertThat(ready.factoryBindsCampaigns()).isTrue();

        // A factory address with no contract behind it: readiness says so instead of failing.
        try (BaseRpcChain misconfigured = BaseRpcChain.connect(dev.settings().factory(dev.stranger).build())) {
            assertThat(misconfigured.readiness().factoryMinter()).isEmpty();
            assertThat(misconfigured.readiness().factoryMinterMatches()).isFalse();
            assertThat(misconfigured.readiness().factoryBindsCampaigns()).isFalse();
        }
    }

    @Test
    void aGatewayWithTheMintersAddressOnlyReadsAndReportsButCannotSign() {
        // What the HTTP server runs with: no key in its memory, the minter known by its address (DEPLOYER_ADDRESS).
        try (BaseRpcChain readOnly = BaseRpcChain.connect(dev.settings().minterKey(null).minter(dev.minter).build())) {
            assertThat(readOnly.settings().canSign()).isFalse();
            assertThat(readOnly.settings().toString()).contains(dev.minter + " (no key)");
            assertThat(readOnly.minter()).isEqualTo(dev.minter);
            Readiness ready = readOnly.readiness();
            assertThat(ready.minter()).isEqualTo(dev.minter);
            assertThat(ready.factoryMinterMatches()).isTrue();
            MintCall call = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(1));
            MintQuote quote = readOnly.quoteMint(call);
            assertThatThrownBy(() -> readOnly.signMint(call, 0, quote)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no minter key");
        }
    }

    // -------------------------------------------------------------------------------------- signing and minting

    @Test
    void warmingUpSigningSignsWithAMadeUpKeyAndSendsNothing() throws Exception {
        long pendingBefore = rpc.nonce(dev.minter, "pending");

        BaseRpcChain.SigningWarmUp warmUp = chain.warmUpSigning(12, 330);

        assertThat(warmUp.signatures()).isEqualTo(12);
        assertThat(warmUp.signer()).as("a made-up key, never the minter's").isNotEqualTo(dev.minter);
        assertThat(warmUp.took()).isPositive();
        assertThat(rpc.nonce(dev.minter, "pending")).as("nothing sent").isEqualTo(pendingBefore);
        assertThat(rpc.call("txpool_status").get("pending").asText()).isEqualTo("0x0");
        assertThat(chain.warmUpSigning(1, 1).signer()).as("a new key each time").isNotEqualTo(warmUp.signer());
        assertThatThrownBy(() -> chain.warmUpSigning(0, 330)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signatures");
        assertThatThrownBy(() -> chain.warmUpSigning(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recipients");
    }

    @Test
    void signMintSignsAnEip1559TransactionForTheConfiguredChainAndSendsNothing() throws Exception {
        MintCall call = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(3));
        MintQuote quote = chain.quoteMint(call);
        long pendingBefore = rpc.nonce(dev.minter, "pending");

        SignedTransaction tx = chain.signMint(call, pendingBefore, quote);

        assertThat(rpc.nonce(dev.minter, "pending")).as("nothing sent").isEqualTo(pendingBefore);
        assertThat(rpc.call("txpool_status").get("pending").asText()).isEqualTo("0x0");
        assertThat(rpc.call("eth_getTransactionByHash", tx.hash().value()).isNull()).isTrue();
        assertThat(tx.hash()).isEqualTo(new TxHash(Hash.sha3(tx.raw())));
        assertThat(tx.from()).isEqualTo(dev.minter);
        assertThat(tx.nonce()).isEqualTo(pendingBefore);
        assertThat(tx.gasLimit()).isEqualTo(quote.gasLimit());
        assertThat(tx.fees()).isEqualTo(quote.fees());

        SignedRawTransaction decoded = (SignedRawTransaction) TransactionDecoder.decode(tx.raw());
        Transaction1559 typed = (Transaction1559) decoded.getTransaction();
        assertThat(typed.getChainId()).isEqualTo(8453L);
        assertThat(decoded.getFrom()).isEqualToIgnoringCase(dev.minter.value());
        assertThat(decoded.getTo()).isEqualToIgnoringCase(collection.value());
        assertThat(decoded.getData()).isEqualTo(Abi.mintBatch(call.batchKey(), call.recipients()).substring(2));
        assertThat(typed.getMaxFeePerGas()).isEqualTo(quote.fees().maxFeePerGas().value());
        assertThat(typed.getMaxPriorityFeePerGas()).isEqualTo(quote.fees().maxPriorityFeePerGas().value());
        assertThat(decoded.getValue()).isZero();
    }

    @Test
    void aMintIsQuotedSignedBroadcastAndReadBackWithTokenIdsFromTransferLogs() {
        List<Address> recipients = DevChain.freshAddresses(4);
        MintCall call = new MintCall(collection, DevChain.randomKey(), recipients);
        assertThat(chain.batchKeyUsed(collection, call.batchKey())).isFalse();
        assertThat(chain.findMint(collection, call.batchKey(), 0)).isEmpty();
        long supplyBefore = Calls.decodeUint(rpc.ethCall(null, collection, Calls.encode("totalSupply"))).longValueExact();

        MintQuote quote = chain.quoteMint(call);
        SignedTransaction tx = signNext(chain, call, quote);
        assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        MintReceipt receipt = mined(Mined.await(chain, tx.hash(), Duration.ofSeconds(10)));

        assertThat(receipt.succeeded()).isTrue();
        assertThat(receipt.failure()).isEqualTo(ChainFailure.NONE);
        assertThat(receipt.hash()).isEqualTo(tx.hash());
        assertThat(receipt.gasUsed()).isPositive().isLessThanOrEqualTo(quote.gasLimit());
        List<MintedToken> expected = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            expected.add(new MintedToken(recipients.get(i), TokenId.of(supplyBefore + 1 + i)));
        }
        assertThat(receipt.tokens()).containsExactlyElementsOf(expected);
        // What it cost, from the receipt itself: gas used × effective gas price; anvil charges no L1 data fee.
        assertThat(receipt.fees()).as("fees from the receipt").isPresent();
        assertThat(receipt.fees().get().l1Fee()).as("anvil reports no l1Fee").isEmpty();
        assertThat(receipt.fees().get().effectiveGasPrice().value()).isPositive()
                .isLessThanOrEqualTo(quote.fees().maxFeePerGas().value());
        assertThat(receipt.feePaid()).isEqualTo(chain.feePaid(tx.hash()));
        assertThat(chain.batchKeyUsed(collection, call.batchKey())).isTrue();
        assertThat(chain.findMint(collection, call.batchKey(), 0)).contains(receipt);
        assertThat(chain.findMint(collection, call.batchKey(), 0).orElseThrow().tokens())
                .containsExactlyElementsOf(expected);

        // Rebroadcasting the stored raw transaction after it was mined is harmless and reads as accepted.
        assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
        assertThat(chain.pendingNonce(dev.minter)).isEqualTo(tx.nonce() + 1);
    }

    @Test
    void quoteAddsTheMarginToTheEstimate() {
        MintCall call = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(5));
        long estimate = estimate(call);
        // A gateway of its own: the shared one may know this shape's gas from another test already.
        try (BaseRpcChain fresh = dev.connect()) {
            MintQuote quote = fresh.quoteMint(call);
            int margin = fresh.settings().gasMarginPercent();
            assertThat(margin).isEqualTo(BaseRpcSettings.DEFAULT_GAS_MARGIN_PERCENT);
            assertThat(quote.gasLimit()).isEqualTo((estimate * (100 + margin) + 99) / 100);
            assertThat(quote.fees().maxFeePerGas()).isEqualTo(fresh.currentFees().maxFeePerGas());
        }
    }

    /** Counts the gateway's requests by method. */
    private static final class MethodCounts implements RpcCallObserver {
        private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> counts =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void called(String endpoint, String method, Outcome outcome, Duration latency) {
            counts.computeIfAbsent(method, m -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        }

        int of(String method) {
            java.util.concurrent.atomic.AtomicInteger count = counts.get(method);
            return count == null ? 0 : count.get();
        }
    }

    /** When each call that runs a mint was on the wire: its answer's time less its latency, to its answer's time. */
    private static final class MintRunSpans implements RpcCallObserver {
        private final List<long[]> spans = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void called(String endpoint, String method, Outcome outcome, Duration latency) {
            if (method.equals("eth_call") || method.equals("eth_estimateGas")) {
                long end = System.nanoTime();
                spans.add(new long[] {end - latency.toNanos(), end});
            }
        }

        /** The most calls on the wire at one moment. */
        int mostAtOnce() {
            List<long[]> events = new ArrayList<>();
            synchronized (spans) {
                spans.forEach(span -> {
                    events.add(new long[] {span[0], 1});
                    events.add(new long[] {span[1], -1});
                });
            }
            // Ends before starts at the same instant: touching spans do not overlap.
            events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int now = 0;
            int most = 0;
            for (long[] event : events) {
                now += (int) event[1];
                most = Math.max(most, now);
            }
            return most;
        }
    }

    @Test
    void quotesAskedAllAtOnceRunAFewMintsOnTheNodeAtATimeAndAllAreAnswered() throws Exception {
        MintRunSpans spans = new MintRunSpans();
        try (BaseRpcChain counted = BaseRpcChain.connect(dev.settings().build(), spans);
                var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<MintQuote>> quotes = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                MintCall call = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(40));
                quotes.add(threads.submit(() -> {
                    go.await();
                    return counted.quoteMint(call);
                }));
            }
            go.countDown();
            for (var quote : quotes) {
                assertThat(quote.get(60, java.util.concurrent.TimeUnit.SECONDS).gasLimit()).isPositive();
            }
        }
        assertThat(spans.spans).hasSizeGreaterThanOrEqualTo(24);
        assertThat(spans.mostAtOnce()).as("calls running a mint on the node at once").isBetween(1, 4);
    }

    @Test
    void aMintOfAKnownShapeIsCheckedWithOneCallInsteadOfAnotherEstimateAndItsGasSuffices() {
        MethodCounts calls = new MethodCounts();
        try (BaseRpcChain counted = BaseRpcChain.connect(dev.settings().build(), calls)) {
            MintQuote first = counted.quoteMint(new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(6)));
            assertThat(calls.of("eth_estimateGas")).isEqualTo(1);
            int callsBefore = calls.of("eth_call");

            MintCall next = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(6));
            MintQuote second = counted.quoteMint(next);
            assertThat(calls.of("eth_estimateGas")).as("no second estimate").isEqualTo(1);
            assertThat(calls.of("eth_call")).as("one check of the known gas").isEqualTo(callsBefore + 1);
            assertThat(second.gasLimit()).isEqualTo(first.gasLimit());

            // The quote is good for the chain: the mint signed with it succeeds, and within the known gas.
            assertMintsWithinItsQuote(counted, next, second);

            // Another size is another shape: estimated.
            counted.quoteMint(new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(7)));
            assertThat(calls.of("eth_estimateGas")).isEqualTo(2);
        }
    }

    /** Signs {@code call} with {@code quote}, sends it, and checks that it is mined, succeeds, and stays within the quote. */
    private static void assertMintsWithinItsQuote(BaseRpcChain chain, MintCall call, MintQuote quote) {
        SignedTransaction tx = signNext(chain, call, quote);
        chain.broadcast(tx);
        MintReceipt receipt = mined(Mined.await(chain, tx.hash(), Duration.ofSeconds(10)));
        assertThat(receipt.succeeded()).isTrue();
        assertThat(receipt.gasUsed()).isLessThanOrEqualTo(quote.gasLimit());
    }

    @Test
    void aCollectionWithTheSameCodeIsQuotedWithTheGasLearntFromAnotherAndItsFirstMintSucceeds() {
        // The gas is learnt where the counters are set already; the other collection's first mint sets them from zero.
        Address used = dev.createCollection("Used", "US", "");
        rpc.sendOk(dev.minter, used, Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(3)));
        Address fresh = dev.createCollection("Fresh", "FR", "");
        MethodCounts calls = new MethodCounts();
        try (BaseRpcChain counted = BaseRpcChain.connect(dev.settings().build(), calls)) {
            MintQuote learnt = counted.quoteMint(new MintCall(used, DevChain.randomKey(), DevChain.freshAddresses(8)));
            assertThat(calls.of("eth_estimateGas")).isEqualTo(1);
            int callsBefore = calls.of("eth_call");

            MintCall first = new MintCall(fresh, DevChain.randomKey(), DevChain.freshAddresses(8));
            MintQuote quote = counted.quoteMint(first);
            assertThat(calls.of("eth_estimateGas")).as("no estimate for a collection of the same code").isEqualTo(1);
            assertThat(calls.of("eth_call")).as("one check of the learnt gas").isEqualTo(callsBefore + 1);
            assertThat(quote.gasLimit()).isEqualTo(learnt.gasLimit());

            assertMintsWithinItsQuote(counted, first, quote);

            // Each collection's code is read once.
            counted.quoteMint(new MintCall(fresh, DevChain.randomKey(), DevChain.freshAddresses(8)));
            assertThat(calls.of("eth_getCode")).isEqualTo(2);
            assertThat(calls.of("eth_estimateGas")).isEqualTo(1);
        }
    }

    @Test
    void batchesOfOneShapeQuotedAtOnceAreEstimatedOnceAndCheckedEach() throws Exception {
        MethodCounts calls = new MethodCounts();
        int batches = 8;
        try (BaseRpcChain counted = BaseRpcChain.connect(dev.settings().build(), calls);
                var threads = java.util.concurrent.Executors.newFixedThreadPool(batches)) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<MintQuote>> quotes = new ArrayList<>();
            for (int i = 0; i < batches; i++) {
                MintCall call = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(9));
                quotes.add(threads.submit(() -> {
                    start.await();
                    return counted.quoteMint(call);
                }));
            }
            start.countDown();
            long first = quotes.getFirst().get().gasLimit();
            for (var quote : quotes) {
                assertThat(quote.get().gasLimit()).isEqualTo(first);
            }
            assertThat(calls.of("eth_estimateGas")).as("one estimate for the shape").isEqualTo(1);
            assertThat(calls.of("eth_call")).as("every other batch checked").isGreaterThanOrEqualTo(batches - 1);
        }
    }

    @Test
    void aMintNeedingMoreThanTheKnownGasIsEstimatedAgain() {
        // Recipients who already hold a token of the collection cost less (their balance slot is not new): the gas
        // learnt from them is too little for as many fresh recipients, and the check at that gas fails.
        List<Address> holders = DevChain.freshAddresses(5);
        rpc.sendOk(dev.minter, collection, Abi.mintBatch(DevChain.randomKey(), holders));
        MethodCounts calls = new MethodCounts();
        try (BaseRpcChain counted = BaseRpcChain.connect(dev.settings().build(), calls)) {
            MintQuote cheap = counted.quoteMint(new MintCall(collection, DevChain.randomKey(), holders));
            MintCall fresh = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(5));
            MintQuote quote = counted.quoteMint(fresh);

            assertThat(calls.of("eth_estimateGas")).as("estimated again after the check failed").isEqualTo(2);
            int margin = counted.settings().gasMarginPercent();
            assertThat(quote.gasLimit()).isGreaterThan(cheap.gasLimit())
                    .isEqualTo((estimate(fresh) * (100 + margin) + 99) / 100);
            // and the shape now holds the larger gas: a third fresh batch passes the check
            counted.quoteMint(new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(5)));
            assertThat(calls.of("eth_estimateGas")).isEqualTo(2);
        }
    }

    @Test
    void theCheckOfAKnownGasRefusesAUsedKeyOrAPausedCollectionByName() {
        Address pausable = dev.createCollection("Pausable", "PZ", "");
        MethodCounts calls = new MethodCounts();
        try (BaseRpcChain counted = BaseRpcChain.connect(dev.settings().build(), calls)) {
            counted.quoteMint(new MintCall(pausable, DevChain.randomKey(), DevChain.freshAddresses(2)));
            BatchKey used = DevChain.randomKey();
            rpc.sendOk(dev.minter, pausable, Abi.mintBatch(used, DevChain.freshAddresses(2)));

            assertRejected(() -> counted.quoteMint(new MintCall(pausable, used, DevChain.freshAddresses(2))),
                    ChainFailure.BATCH_KEY_USED, "BatchAlreadyUsed(" + used.value() + ")");
            rpc.sendOk(dev.creator, pausable, Calls.encode("pause"));
            assertRejected(() -> counted.quoteMint(new MintCall(pausable, DevChain.randomKey(), DevChain.freshAddresses(2))),
                    ChainFailure.PAUSED, "EnforcedPause()");
            assertThat(calls.of("eth_estimateGas")).as("refused by the check, not by an estimate").isEqualTo(1);
        }
    }

    @Test
    void quoteIsCappedAtThePerTransactionCapAndRefusedAboveIt() {
        MintCall call = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(5));
        long estimate = estimate(call);
        try (BaseRpcChain capped = BaseRpcChain.connect(dev.settings().gasCap(estimate + 1_000).build())) {
            assertThat(capped.quoteMint(call).gasLimit()).as("margin cut back to the cap").isEqualTo(estimate + 1_000);
        }
        try (BaseRpcChain tooSmall = BaseRpcChain.connect(dev.settings().gasCap(estimate - 1).build())) {
            assertThatThrownBy(() -> tooSmall.quoteMint(call))
                    .isInstanceOfSatisfying(ChainRejectedException.class,
                            e -> assertThat(e.failure()).isEqualTo(ChainFailure.OUT_OF_GAS))
                    .hasMessageContaining("above the per-transaction cap of " + (estimate - 1));
            assertThatThrownBy(() -> tooSmall.signMint(call, 0, new MintQuote(estimate, tooSmall.currentFees())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gas cap");
        }
    }

    private long estimate(MintCall call) {
        com.fasterxml.jackson.databind.node.ObjectNode tx = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        tx.put("from", dev.minter.lowerCase());
        tx.put("to", call.collection().lowerCase());
        tx.put("data", Abi.mintBatch(call.batchKey(), call.recipients()));
        return DevRpc.quantity(rpc.call("eth_estimateGas", tx));
    }

    // ------------------------------------------------------------------------------------- refusals, by name

    @Test
    void quoteNamesARevertingMint() {
        BatchKey used = DevChain.randomKey();
        rpc.sendOk(dev.minter, collection, Abi.mintBatch(used, DevChain.freshAddresses(1)));
        assertRejected(() -> chain.quoteMint(new MintCall(collection, used, DevChain.freshAddresses(1))),
                ChainFailure.BATCH_KEY_USED, "BatchAlreadyUsed(" + used.value() + ")");

        assertRejected(() -> chain.quoteMint(new MintCall(collection, DevChain.randomKey(),
                List.of(DevChain.freshAddresses(1).getFirst(), Address.ZERO))), ChainFailure.INVALID_RECIPIENT,
                "ERC721InvalidReceiver(0x0000000000000000000000000000000000000000)");

        Address paused = dev.createCollection("Paused", "P", "");
        rpc.sendOk(dev.creator, paused, Calls.encode("pause"));
        assertRejected(() -> chain.quoteMint(new MintCall(paused, DevChain.randomKey(), DevChain.freshAddresses(1))),
                ChainFailure.PAUSED, "EnforcedPause()");

        try (BaseRpcChain outsider = BaseRpcChain.connect(dev.settings().minterKey(randomKey()).build())) {
            assertRejected(() -> outsider.quoteMint(new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(1))),
                    ChainFailure.MISSING_ROLE, "AccessControlUnauthorizedAccount(" + outsider.minter().lowerCase()
                            + ", MINTER_ROLE)");
        }
    }

    @Test
    void minedRevertsAreNamedFromTheirReplayOrTheirGas() {
        BatchKey used = DevChain.randomKey();
        rpc.sendOk(dev.minter, collection, Abi.mintBatch(used, DevChain.freshAddresses(1)));

        MintReceipt reused = mineWithGas(chain, new MintCall(collection, used, DevChain.freshAddresses(1)), 200_000);
        assertThat(reused.succeeded()).isFalse();
        assertThat(reused.failure()).isEqualTo(ChainFailure.BATCH_KEY_USED);
        assertThat(reused.tokens()).isEmpty();

        MintReceipt zero = mineWithGas(chain, new MintCall(collection, DevChain.randomKey(), List.of(Address.ZERO)), 200_000);
        assertThat(zero.failure()).isEqualTo(ChainFailure.INVALID_RECIPIENT);

        MintReceipt starved = mineWithGas(chain, new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(5)),
                40_000);
        assertThat(starved.failure()).isEqualTo(ChainFailure.OUT_OF_GAS);
        // Through the clone's DELEGATECALL, 1/64 of the gas survives the inner out-of-gas (EIP-150).
        assertThat(starved.gasUsed()).isBetween(40_000L * 63 / 64, 40_000L);

        Address paused = dev.createCollection("Paused", "P", "");
        rpc.sendOk(dev.creator, paused, Calls.encode("pause"));
        MintReceipt whilePaused = mineWithGas(chain, new MintCall(paused, DevChain.randomKey(), DevChain.freshAddresses(1)),
                200_000);
        assertThat(whilePaused.failure()).isEqualTo(ChainFailure.PAUSED);

        MinterKey outsiderKey = randomKey();
        rpc.call("anvil_setBalance", outsiderKey.address().lowerCase(), "0xDE0B6B3A7640000"); // 1 ether
        try (BaseRpcChain outsider = BaseRpcChain.connect(dev.settings().minterKey(outsiderKey).build())) {
            MintReceipt unauthorised = mineWithGas(outsider, new MintCall(collection, DevChain.randomKey(),
                    DevChain.freshAddresses(1)), 200_000);
            assertThat(unauthorised.failure()).isEqualTo(ChainFailure.MISSING_ROLE);
        }
    }

    @Test
    void broadcastNamesTheNodesRefusals() {
        MintCall call = new MintCall(collection, DevChain.randomKey(), DevChain.freshAddresses(1));
        MintQuote quote = chain.quoteMint(call);

        // A nonce already used by another transaction.
        long latest = chain.latestNonce(dev.minter);
        assertThat(latest).isPositive();
        BroadcastResult stale = chain.broadcast(chain.signMint(call, latest - 1, quote));
        assertThat(stale).isInstanceOfSatisfying(BroadcastResult.Rejected.class, r -> {
            assertThat(r.failure()).isEqualTo(ChainFailure.NONCE_TOO_LOW);
            assertThat(r.message()).containsIgnoringCase("nonce too low");
        });

        // A wallet without funds.
        try (BaseRpcChain broke = BaseRpcChain.connect(dev.settings().minterKey(randomKey()).build())) {
            BroadcastResult poor = broke.broadcast(broke.signMint(call, 0, quote));
            assertThat(poor).isInstanceOfSatisfying(BroadcastResult.Rejected.class,
                    r -> assertThat(r.failure()).isEqualTo(ChainFailure.INSUFFICIENT_FUNDS));
        }

        // A stored record whose hash does not belong to its bytes.
        SignedTransaction good = chain.signMint(call, chain.pendingNonce(dev.minter), quote);
        SignedTransaction corrupt = new SignedTransaction(new TxHash(Hash.sha3("0x00")), good.raw(), good.from(),
                good.nonce(), good.gasLimit(), good.fees());
        assertThatThrownBy(() -> chain.broadcast(corrupt)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void statusOfAnUnknownHashIsUnknownAndAnUnusedKeyHasNoMint() {
        assertThat(chain.status(new TxHash(Hash.sha3("0x1234")))).isEqualTo(new TransactionStatus.Unknown());
        assertThat(chain.findMint(collection, DevChain.randomKey(), 0)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- collection factory

    @Test
    void deployCallIsCreateCollectionOnOurFactoryAndItsTransactionVerifies() {
        Campaign campaign = campaign("Summer Drop", "SUM", "ipfs://summer/", ChainId.BASE);
        UnsignedCall call = chain.deployCall(campaign);
        assertThat(call.chainId()).isEqualTo(ChainId.BASE);
        assertThat(call.to()).isEqualTo(dev.factory);
        assertThat(call.value()).isEqualTo(Wei.ZERO);
        assertThat(call.data()).isEqualTo(Abi.createCollection(CampaignKey.of(campaign.id()), "Summer Drop", "SUM",
                "ipfs://summer/"));
        Address predicted = chain.predictCollection(dev.creator, campaign.id());
        assertThat(chain.predictCollection(dev.stranger, campaign.id())).as("another sender, another address")
                .isNotEqualTo(predicted);

        // The creator's wallet sends exactly what we handed out.
        JsonNode receipt = rpc.sendOk(dev.creator, call.to(), call.data());
        DeploymentCheck check = chain.verifyDeployment(new TxHash(receipt.get("transactionHash").asText()));

        assertThat(check).isInstanceOfSatisfying(DeploymentCheck.Deployed.class, deployed -> {
            assertThat(deployed.creator()).isEqualTo(dev.creator);
            assertThat(deployed.collection()).as("where predictCollection said").isEqualTo(predicted);
            assertThat(deployed.campaign()).isEqualTo(CampaignKey.of(campaign.id()));
            assertThat(deployed.blockNumber()).isEqualTo(Long.decode(receipt.get("blockNumber").asText()));
            assertThat(Calls.decodeString(rpc.ethCall(null, deployed.collection(), Calls.encode("name"))))
                    .isEqualTo("Summer Drop");
            assertThat(chain.minterHasRole(deployed.collection())).isTrue();
        });
        assertThatThrownBy(() -> chain.deployCall(campaign("X", "X", "", new ChainId(84532))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("campaign.chainId 84532");
    }

    @Test
    void verifyDeploymentRefusesWhatDidNotComeFromOurFactory() {
        assertThat(chain.verifyDeployment(new TxHash(Hash.sha3("0xabcd")))).isEqualTo(new DeploymentCheck.NotMined());

        // Same bytecode, another deployment: not ours.
        Address otherFactory = dev.deployFactory(dev.implementation);
        JsonNode impostor = rpc.sendOk(dev.creator, otherFactory, Abi.createCollection(DevChain.randomCampaignKey(), "Fake",
                "F", ""));
        assertThat(chain.verifyDeployment(new TxHash(impostor.get("transactionHash").asText())))
                .isInstanceOfSatisfying(DeploymentCheck.Rejected.class,
                        r -> assertThat(r.reason()).contains("not to our factory " + dev.factory));

        // A call to our factory that reverted (no such function).
        JsonNode reverted = rpc.sendAndMine(dev.creator, dev.factory, "0xdeadbeef", 100_000L);
        assertThat(reverted.get("status").asText()).isEqualTo("0x0");
        assertThat(chain.verifyDeployment(new TxHash(reverted.get("transactionHash").asText())))
                .isInstanceOfSatisfying(DeploymentCheck.Rejected.class, r -> assertThat(r.reason()).contains("reverted"));

        // Pending is not mined yet.
        rpc.setAutomine(false);
        try {
            String pending = rpc.send(dev.creator, dev.factory, Abi.createCollection(DevChain.randomCampaignKey(), "Later",
                    "L", ""), null);
            assertThat(chain.verifyDeployment(new TxHash(pending))).isEqualTo(new DeploymentCheck.NotMined());
            rpc.mine();
            assertThat(chain.verifyDeployment(new TxHash(pending))).isInstanceOf(DeploymentCheck.Deployed.class);
        } finally {
            rpc.setAutomine(true);
        }
    }

    @Test
    void minterHasRoleOnlyWhereTheRoleWasGranted() {
        assertThat(chain.minterHasRole(collection)).isTrue();
        // A factory whose minter is someone else grants the role to them, not to us.
        String args = org.web3j.abi.FunctionEncoder.encodeConstructor(List.of(Calls.address(dev.implementation),
                Calls.address(dev.stranger)));
        Address foreignFactory = dev.deploy(ContractArtifact.factory().bytecode(), args);
        Address foreign = dev.createCollection(foreignFactory, "Foreign", "F", "");
        assertThat(chain.minterHasRole(foreign)).isFalse();
        assertThat(chain.minterHasRole(dev.stranger)).as("an address without code").isFalse();
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static MinterKey randomKey() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        bytes[0] &= 0x7f; // below the curve order
        bytes[31] |= 1; // not zero
        return MinterKey.fromHex(java.util.HexFormat.of().formatHex(bytes));
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ChainFailure failure,
            String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChainRejectedException.class,
                e -> assertThat(e.failure()).isEqualTo(failure)).hasMessageContaining(detail);
    }
}
