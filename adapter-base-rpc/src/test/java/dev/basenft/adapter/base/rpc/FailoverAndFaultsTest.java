package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.adapter.base.rpc.testing.FaultProxy.Fault;
import dev.basenft.adapter.base.rpc.testing.Mined;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transport trouble between the adapter and the node: a dead first URL, and a fault-injecting proxy in front of anvil
 * (HTTP 5xx and 429, timeouts, rate-limit errors, a response lost after the node took the transaction, a node refusing
 * wide log queries). Transport failures are retried and failed over, and surface as {@link ChainUnavailableException} only
 * when every attempt failed; answers are never retried.
 */
class FailoverAndFaultsTest {

    private static DevChain dev;
    private static FaultProxy proxy;
    private static BaseRpcChain viaProxy;

    @BeforeAll
    static void start() throws IOException {
        dev = DevChain.start();
        proxy = new FaultProxy(dev.anvil.url());
        // The plain send's faults: eth_sendRawTransactionSync's are in ConfirmationLatencyOnAnvilTest.
        viaProxy = BaseRpcChain.connect(dev.settings(proxyUrl()).callTimeout(Duration.ofMillis(500)).sendSync(false).build());
    }

    @AfterAll
    static void stop() throws IOException {
        viaProxy.close();
        proxy.close();
        dev.close();
    }

    @AfterEach
    void clearFaults() {
        proxy.reset();
    }

    /** The proxy's URL with a path like a provider's API key, which must never show in messages. */
    private static URI proxyUrl() {
        return URI.create(proxy.url() + "/v2/SECRET-API-KEY");
    }

    private static MintCall freshMint(int size) {
        return new MintCall(dev.createCollection("Faults", "F", ""), DevChain.randomKey(), DevChain.freshAddresses(size));
    }

    private static long tokens(MintCall call) {
        return Calls.decodeUint(dev.rpc.ethCall(null, call.collection(), Calls.encode("balanceOf",
                Calls.address(call.recipients().getFirst())))).longValueExact();
    }

    // ------------------------------------------------------------------------------------------------- failover

    @Test
    void failsOverWhenTheFirstUrlIsDead() {
        URI dead = URI.create("http://127.0.0.1:" + AnvilProcess.freePort() + "/dead");
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(dead, dev.anvil.url()).build())) {
            MintCall call = freshMint(2);
            SignedTransaction tx = chain.signMint(call, chain.pendingNonce(chain.minter()), chain.quoteMint(call));
            assertThat(chain.broadcast(tx)).isInstanceOfSatisfying(BroadcastResult.Accepted.class,
                    accepted -> assertThat(accepted.hash()).isEqualTo(tx.hash()));
            assertThat(Mined.await(chain, tx.hash(), Duration.ofSeconds(10))).isInstanceOf(TransactionStatus.Mined.class);
            assertThat(chain.readiness().endpoint()).isEqualTo("http://127.0.0.1:" + dev.anvil.port());
        }
    }

    @Test
    void anEndpointThatFailedWaitsBehindTheHealthyOnesUntilItsCooldownEnds() {
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxyUrl(), dev.anvil.url()).build())) {
            proxy.inject("eth_blockNumber", 100, new Fault.Status(503, "{}"));
            for (int i = 0; i < 5; i++) {
                chain.readiness();
            }
            assertThat(proxy.requests("eth_blockNumber")).as("only the first call tried the failing endpoint").isEqualTo(1);
        }
    }

    @Test
    void refusesToStartWhenAFailoverUrlServesAnotherChain() {
        try (AnvilProcess other = AnvilProcess.start(84532)) {
            BaseRpcSettings settings = dev.settings(dev.anvil.url(), other.url()).build();
            assertThatThrownBy(() -> BaseRpcChain.connect(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refusing to start")
                    .hasMessageContaining("http://127.0.0.1:" + other.port() + " serves chain id 84532 but chain id 8453");
        }
    }

    // -------------------------------------------------------------------------------------- retried transport faults

    @Test
    void retriesHttp5xxAndSucceeds() {
        proxy.inject("eth_blockNumber", 2, new Fault.Status(502, "<html>bad gateway</html>"));
        assertThat(viaProxy.readiness().blockNumber()).isPositive();
        assertThat(proxy.requests("eth_blockNumber")).isEqualTo(3);
    }

    @Test
    void retriesHttp429AndSucceeds() {
        proxy.inject("eth_getBalance", 2, new Fault.Status(429, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":429,"
                + "\"message\":\"Too Many Requests\"}}"));
        assertThat(viaProxy.balance(dev.minter).value()).isPositive();
        assertThat(proxy.requests("eth_getBalance")).isEqualTo(3);
    }

    @Test
    void retriesTimeoutsAndSucceeds() {
        proxy.inject("eth_getTransactionCount", 2, new Fault.Delay(Duration.ofSeconds(2)));
        long started = System.nanoTime();
        assertThat(viaProxy.pendingNonce(dev.minter)).isEqualTo(dev.rpc.nonce(dev.minter, "pending"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("two 500 ms timeouts, not two 2 s waits")
                .isLessThan(Duration.ofMillis(1_900));
        assertThat(proxy.faults("eth_getTransactionCount")).isEqualTo(2);
    }

    @Test
    void retriesRateLimitErrorsSentAsJsonRpcErrors() {
        proxy.inject("eth_call", 2, new Fault.RpcError(-32005, "daily request limit exceeded"));
        assertThat(viaProxy.batchKeyUsed(dev.createCollection("R", "R", ""), DevChain.randomKey())).isFalse();
        assertThat(proxy.faults("eth_call")).isEqualTo(2);
    }

    @Test
    void givesUpAfterThreeAttemptsWithATransportFailureThatHidesTheUrlPath() {
        proxy.inject("eth_blockNumber", 3, new Fault.Status(503, "{}"));
        assertThatThrownBy(() -> viaProxy.readiness())
                .isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("3 attempt(s)")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("http://127.0.0.1:" + proxy.url().getPort() + "/…")
                .hasMessageNotContaining("SECRET-API-KEY");
        assertThat(proxy.requests("eth_blockNumber")).isEqualTo(3);
    }

    @Test
    void aRefusedApiKeyIsNotRetriedButStillNoAnswer() {
        proxy.inject("eth_blockNumber", 1, new Fault.Status(401, "{\"message\":\"invalid api key\"}"));
        assertThatThrownBy(() -> viaProxy.readiness()).isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("HTTP 401");
        assertThat(proxy.requests("eth_blockNumber")).isEqualTo(1);
    }

    @Test
    void timeoutsOnEveryAttemptAreATransportFailure() {
        proxy.inject("eth_getBalance", 3, new Fault.Delay(Duration.ofSeconds(2)));
        assertThatThrownBy(() -> viaProxy.balance(dev.minter)).isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("timed out");
    }

    // --------------------------------------------------------------------------------------- answers: no retry

    @Test
    void neverRetriesAnAnswer() {
        MintCall call = freshMint(1);
        SignedTransaction tx = viaProxy.signMint(call, viaProxy.pendingNonce(dev.minter), viaProxy.quoteMint(call));
        viaProxy.broadcast(tx);
        Mined.await(viaProxy, tx.hash(), Duration.ofSeconds(10)); // anvil's automine mines just after answering
        proxy.reset();

        assertThatThrownBy(() -> viaProxy.quoteMint(new MintCall(call.collection(), call.batchKey(),
                DevChain.freshAddresses(1)))).isInstanceOfSatisfying(ChainRejectedException.class,
                        e -> assertThat(e.failure()).isEqualTo(ChainFailure.BATCH_KEY_USED));
        // Answered once, by the check of the gas the first quote learnt for this shape (an eth_call), and not asked again.
        assertThat(proxy.requests("eth_call")).isEqualTo(1);
        assertThat(proxy.requests("eth_estimateGas")).isZero();

        MintCall other = new MintCall(call.collection(), DevChain.randomKey(), DevChain.freshAddresses(1));
        BroadcastResult stale = viaProxy.broadcast(viaProxy.signMint(other, tx.nonce(), viaProxy.quoteMint(other)));
        assertThat(stale).isInstanceOfSatisfying(BroadcastResult.Rejected.class,
                r -> assertThat(r.failure()).isEqualTo(ChainFailure.NONCE_TOO_LOW));
        assertThat(proxy.requests("eth_sendRawTransaction")).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------- the response lost after send

    @Test
    void aResponseLostAfterTheNodeTookTheTransactionIsATransportFailureAndStatusFindsItLater() {
        MintCall call = freshMint(2);
        SignedTransaction tx = viaProxy.signMint(call, viaProxy.pendingNonce(dev.minter), viaProxy.quoteMint(call));
        proxy.inject("eth_sendRawTransaction", 3, new Fault.LoseResponse());

        assertThatThrownBy(() -> viaProxy.broadcast(tx)).isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("eth_sendRawTransaction");

        assertThat(proxy.requests("eth_sendRawTransaction")).as("every attempt reached the node").isEqualTo(3);
        TransactionStatus status = Mined.await(viaProxy, tx.hash(), Duration.ofSeconds(10));
        assertThat(status).isInstanceOfSatisfying(TransactionStatus.Mined.class, mined -> {
            assertThat(mined.receipt().succeeded()).isTrue();
            assertThat(mined.receipt().tokens()).hasSize(2);
        });
        assertThat(tokens(call)).as("minted once, though sent three times").isEqualTo(1);
    }

    @Test
    void aResponseLostOnceIsRetriedAndTheResendReadsAsAccepted() {
        MintCall call = freshMint(1);
        SignedTransaction tx = viaProxy.signMint(call, viaProxy.pendingNonce(dev.minter), viaProxy.quoteMint(call));
        proxy.inject("eth_sendRawTransaction", 1, new Fault.LoseResponse());

        assertThat(viaProxy.broadcast(tx)).isEqualTo(new BroadcastResult.Accepted(tx.hash()));
        assertThat(proxy.requests("eth_sendRawTransaction")).isEqualTo(2);
        assertThat(Mined.await(viaProxy, tx.hash(), Duration.ofSeconds(10))).isInstanceOf(TransactionStatus.Mined.class);
        assertThat(tokens(call)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------- reads shared

    @Test
    void feesAndBalancesAskedWhileTheSameReadIsOnItsWayShareItsAnswer() throws Exception {
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxyUrl()).build())) {
            assertReadOnceForCallersAtOnce(chain, "eth_getBlockByNumber", chain::currentFees);
            assertReadOnceForCallersAtOnce(chain, "eth_getBalance", () -> chain.balance(chain.minter()));
        }
    }

    /**
     * Holds the node's answer to one {@code method} request for a second, asks {@code read} in seven more threads while it
     * is held, and checks that the eight got one answer from one request; the next read after it sends a request again.
     */
    private static void assertReadOnceForCallersAtOnce(BaseRpcChain chain, String method, Supplier<Object> read)
            throws Exception {
        int before = proxy.requests(method);
        proxy.inject(method, 1, new Fault.Delay(Duration.ofSeconds(1)));
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Object>> answers = new java.util.ArrayList<>();
            answers.add(threads.submit(read::get));
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (proxy.requests(method) == before && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 7; i++) {
                answers.add(threads.submit(read::get));
            }
            Object first = answers.getFirst().get(10, java.util.concurrent.TimeUnit.SECONDS);
            for (var answer : answers) {
                assertThat(answer.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(first);
            }
        }
        assertThat(proxy.faults(method)).as("the held request").isEqualTo(1);
        assertThat(proxy.requests(method)).as(method + " requests for 8 callers at once").isEqualTo(before + 1);
        read.get();
        assertThat(proxy.requests(method)).as("nothing kept after the answer").isEqualTo(before + 2);
    }

    // ---------------------------------------------------------------------------- a node that limits log queries

    @Test
    void findMintBisectsWhenTheNodeRefusesAWideLogQuery() {
        MintCall call = freshMint(3);
        SignedTransaction tx = viaProxy.signMint(call, viaProxy.pendingNonce(dev.minter), viaProxy.quoteMint(call));
        viaProxy.broadcast(tx);
        MintReceipt minted = ((TransactionStatus.Mined) Mined.await(viaProxy, tx.hash(), Duration.ofSeconds(10))).receipt();
        for (int i = 0; i < 20; i++) { // later blocks, so the mint is not at the head
            dev.rpc.mine();
        }
        // This node answers log queries over one block only.
        proxy.injectWhen(request -> request.path("method").asText().equals("eth_getLogs") && !request.path("params").path(0)
                .path("fromBlock").asText().equals(request.path("params").path(0).path("toBlock").asText()), 100,
                new Fault.RpcError(-32602, "query exceeds max block range 1"));

        Optional<MintReceipt> found = viaProxy.findMint(call.collection(), call.batchKey(), 0);

        assertThat(found).contains(minted);
        assertThat(proxy.faults("eth_getLogs")).isEqualTo(1);
        assertThat(proxy.requests("eth_call")).as("a bisection, not a scan").isBetween(2, 12);
        BatchKey unused = DevChain.randomKey();
        assertThat(viaProxy.findMint(call.collection(), unused, 0)).isEmpty();
    }

    @Test
    void findMintScansFromTheDeployBlockInRangesTheProviderAccepts() {
        MintCall call = freshMint(2);
        long deployBlock = viaProxy.readiness().blockNumber();
        for (int i = 0; i < 12; i++) { // blocks between the deployment and the mint
            dev.rpc.mine();
        }
        SignedTransaction tx = viaProxy.signMint(call, viaProxy.pendingNonce(dev.minter), viaProxy.quoteMint(call));
        viaProxy.broadcast(tx);
        MintReceipt minted = ((TransactionStatus.Mined) Mined.await(viaProxy, tx.hash(), Duration.ofSeconds(10))).receipt();
        for (int i = 0; i < 20; i++) { // blocks after it, so the mint is not in the newest range
            dev.rpc.mine();
        }
        proxy.reset();
        // A provider that answers eth_getLogs over at most 5 blocks.
        proxy.injectWhen(request -> request.path("method").asText().equals("eth_getLogs") && span(request) > 5, 100,
                new Fault.RpcError(-32602, "query exceeds max block range 5"));

        try (BaseRpcChain ranged = BaseRpcChain.connect(dev.settings(proxyUrl()).logsBlockRange(5).build())) {
            assertThat(ranged.findMint(call.collection(), call.batchKey(), deployBlock)).contains(minted);
            assertThat(proxy.faults("eth_getLogs")).as("no range too wide for the provider").isZero();
            assertThat(proxy.requests("eth_call")).as("a scan in ranges, not a bisection").isZero();
            assertThat(proxy.requests("eth_getLogs")).as("newest range first, stopping at the mint").isBetween(4, 7);

            proxy.reset();
            assertThat(ranged.findMint(call.collection(), DevChain.randomKey(), deployBlock)).isEmpty();
            long blocks = ranged.readiness().blockNumber() - deployBlock + 1;
            assertThat(proxy.requests("eth_getLogs")).as("down to the deploy block, not to block 0")
                    .isEqualTo((int) ((blocks + 4) / 5));
        }
    }

    private static long span(JsonNode request) {
        JsonNode filter = request.path("params").path(0);
        return Long.decode(filter.path("toBlock").asText()) - Long.decode(filter.path("fromBlock").asText()) + 1;
    }

    /** Without faults the proxy only forwards. */
    @Test
    void proxyIsTransparentWithoutFaults() {
        MintCall call = freshMint(1);
        assertThat(viaProxy.batchKeyUsed(call.collection(), call.batchKey())).isFalse();
        assertThat(proxy.requests("eth_call")).isEqualTo(1);
    }
}
