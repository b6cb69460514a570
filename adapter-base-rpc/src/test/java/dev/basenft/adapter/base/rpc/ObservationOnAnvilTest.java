package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the worker's metrics and readiness read through the gateway, on anvil: every request to an endpoint told to the
 * observer with its outcome, the fee a mined transaction paid, and the L1 data fee bound where the chain has the OP stack's
 * GasPriceOracle (anvil has none until one is put there).
 */
class ObservationOnAnvilTest {

    private static DevChain dev;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        dev = DevChain.start();
        proxy = new FaultProxy(dev.anvil.url());
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        dev.close();
    }

    private record Call(String endpoint, String method, RpcCallObserver.Outcome outcome) {
    }

    @Test
    void everyRequestToAnEndpointIsToldWithItsOutcome() {
        List<Call> calls = new CopyOnWriteArrayList<>();
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).build(),
                (endpoint, method, outcome, latency) -> calls.add(new Call(endpoint, method, outcome)))) {
            chain.blockNumber();
            proxy.inject("eth_blockNumber", 1_000, new FaultProxy.Fault.Status(503, "{}"));
            assertThatThrownBy(chain::blockNumber).isInstanceOf(ChainUnavailableException.class);
            proxy.reset();
        }

        String endpoint = "http://127.0.0.1:" + proxy.url().getPort();
        assertThat(calls).contains(new Call(endpoint, "eth_chainId", RpcCallObserver.Outcome.OK),
                new Call(endpoint, "eth_blockNumber", RpcCallObserver.Outcome.OK),
                new Call(endpoint, "eth_blockNumber", RpcCallObserver.Outcome.TRANSPORT));
        assertThat(calls).filteredOn(c -> c.outcome() == RpcCallObserver.Outcome.TRANSPORT).as("one per retry attempt")
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void theFeePaidIsGasUsedTimesTheEffectiveGasPrice() {
        JsonNode receipt = dev.rpc.sendOk(dev.creator, dev.stranger, "0x");
        BigInteger expected = BigInteger.valueOf(DevRpc.quantity(receipt.get("gasUsed")))
                .multiply(BigInteger.valueOf(DevRpc.quantity(receipt.get("effectiveGasPrice"))));
        try (BaseRpcChain chain = dev.connect()) {
            assertThat(chain.feePaid(new TxHash(receipt.get("transactionHash").asText()))).contains(new Wei(expected));
            assertThat(expected.signum()).isPositive();
            assertThat(chain.feePaid(new TxHash("0x" + "ab".repeat(32)))).as("no receipt").isEmpty();
        }
    }

    @Test
    void theL1DataFeeIsNoneWithoutAGasPriceOracleAndTheOraclesBoundWithOne() {
        try (BaseRpcChain chain = dev.connect()) {
            assertThat(chain.l1DataFeeUpperBound(200)).as("anvil has no GasPriceOracle").isEmpty();

            // An oracle answering 42 to every call: PUSH1 42, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
            dev.rpc.call("anvil_setCode", BaseRpcChain.GAS_PRICE_ORACLE.lowerCase(), "0x602a60005260206000f3");
            try {
                assertThat(chain.l1DataFeeUpperBound(200)).contains(new Wei(BigInteger.valueOf(42)));
            } finally {
                dev.rpc.call("anvil_setCode", BaseRpcChain.GAS_PRICE_ORACLE.lowerCase(), "0x");
            }
        }
    }
}
