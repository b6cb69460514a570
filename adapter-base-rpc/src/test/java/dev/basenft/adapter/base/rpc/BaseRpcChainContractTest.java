package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.Mined;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.testing.ForwardingChain;
import dev.basenft.core.testing.contract.ChainContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Core's chain port contract, run against the adapter on a real anvil with our contracts.
 *
 * <p>The contract reads a receipt right after an automined broadcast, as on a node that mines before it answers. anvil's
 * automine mines just <em>after</em> answering {@code eth_sendRawTransaction}, so under load the receipt can be a few
 * milliseconds late. The fixture therefore hands the contract the adapter behind {@link MinedOnReturn}, which waits for the
 * receipt after an accepted broadcast while automine is on; every call still goes to the adapter unchanged.
 */
class BaseRpcChainContractTest extends ChainContract {

    private static DevChain dev;
    private static BaseRpcChain chain;
    private static volatile boolean automine = true;

    @BeforeAll
    static void startChain() {
        dev = DevChain.start();
        chain = dev.connect();
    }

    @AfterAll
    static void stopChain() {
        chain.close();
        dev.close();
    }

    @Override
    protected ChainFixture newChain() {
        Address collection = dev.createCollection("Contract", "CTR", "ipfs://contract/");
        return new ChainFixture() {
            @Override
            public Chain chain() {
                return new MinedOnReturn(chain);
            }

            @Override
            public ChainId expectedChainId() {
                return new ChainId(AnvilProcess.CHAIN_ID);
            }

            @Override
            public Address collection() {
                return collection;
            }

            @Override
            public void pause(Address c) {
                dev.rpc.sendOk(dev.creator, c, Calls.encode("pause"));
            }

            @Override
            public void unpause(Address c) {
                dev.rpc.sendOk(dev.creator, c, Calls.encode("unpause"));
            }

            @Override
            public void revokeMinterRole(Address c) {
                dev.rpc.sendOk(dev.creator, c, Calls.encode("revokeRole", Calls.bytes32(Abi.MINTER_ROLE),
                        Calls.address(dev.minter)));
            }

            @Override
            public void automine(boolean on) {
                dev.rpc.setAutomine(on);
                automine = on;
            }

            @Override
            public void mine() {
                dev.rpc.mine();
            }

            @Override
            public void setMinterBalance(Wei balance) {
                dev.rpc.call("anvil_setBalance", dev.minter.lowerCase(), "0x" + balance.value().toString(16));
            }

            @Override
            public long tokenCount(Address c, Address owner) {
                return Calls.decodeUint(dev.rpc.ethCall(null, c, Calls.encode("balanceOf", Calls.address(owner))))
                        .longValueExact();
            }

            @Override
            public void reorg(int depth) {
                dev.rpc.call("anvil_reorg", depth, List.of());
            }

            @Override
            public void close() {
                // The chain and the node are shared by the class; each test has its own collection.
            }
        };
    }

    /** The adapter, with an accepted broadcast returning once anvil's automine has mined it. */
    private static final class MinedOnReturn extends ForwardingChain {
        private final BaseRpcChain adapter;

        MinedOnReturn(BaseRpcChain adapter) {
            super(adapter);
            this.adapter = adapter;
        }

        @Override
        public BroadcastResult broadcast(SignedTransaction transaction) {
            BroadcastResult result = adapter.broadcast(transaction);
            if (automine && result instanceof BroadcastResult.Accepted accepted) {
                Mined.await(adapter, accepted.hash(), Duration.ofSeconds(10));
            }
            return result;
        }
    }
}
