package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.testing.contract.ChainContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Core's chain port contract, run against the adapter on a real anvil with our contracts. */
class BaseRpcChainContractTest extends ChainContract {

    private static DevChain dev;
    private static BaseRpcChain chain;

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
                return chain;
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
            public void close() {
                // The chain and the node are shared by the class; each test has its own collection.
            }
        };
    }
}
