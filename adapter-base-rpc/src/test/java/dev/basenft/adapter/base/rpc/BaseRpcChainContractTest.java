package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.Mined;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.testing.contract.ChainContract;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    private record MinedOnReturn(BaseRpcChain adapter) implements Chain {

        @Override
        public BroadcastResult broadcast(SignedTransaction transaction) {
            BroadcastResult result = adapter.broadcast(transaction);
            if (automine && result instanceof BroadcastResult.Accepted accepted) {
                Mined.await(adapter, accepted.hash(), Duration.ofSeconds(10));
            }
            return result;
        }

        @Override
        public ChainId chainId() {
            return adapter.chainId();
        }

        @Override
        public Address minter() {
            return adapter.minter();
        }

        @Override
        public long pendingNonce(Address wallet) {
            return adapter.pendingNonce(wallet);
        }

        @Override
        public long latestNonce(Address wallet) {
            return adapter.latestNonce(wallet);
        }

        @Override
        public Wei balance(Address wallet) {
            return adapter.balance(wallet);
        }

        @Override
        public Fees currentFees() {
            return adapter.currentFees();
        }

        @Override
        public MintQuote quoteMint(MintCall call) {
            return adapter.quoteMint(call);
        }

        @Override
        public SignedTransaction signMint(MintCall call, long nonce, MintQuote quote) {
            return adapter.signMint(call, nonce, quote);
        }

        @Override
        public TransactionStatus status(TxHash hash) {
            return adapter.status(hash);
        }

        @Override
        public boolean batchKeyUsed(Address collection, BatchKey key) {
            return adapter.batchKeyUsed(collection, key);
        }

        @Override
        public long blockNumber() {
            return adapter.blockNumber();
        }

        @Override
        public long nonceAt(Address wallet, long block) {
            return adapter.nonceAt(wallet, block);
        }

        @Override
        public boolean batchKeyUsedAt(Address collection, BatchKey key, long block) {
            return adapter.batchKeyUsedAt(collection, key, block);
        }

        @Override
        public Optional<MintReceipt> findMint(Address collection, BatchKey key, long fromBlock) {
            return adapter.findMint(collection, key, fromBlock);
        }

        @Override
        public SignedTransaction signFiller(long nonce, Fees fees) {
            return adapter.signFiller(nonce, fees);
        }
    }
}
