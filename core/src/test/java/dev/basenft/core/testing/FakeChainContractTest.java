package dev.basenft.core.testing;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.testing.contract.ChainContract;

/** Runs {@link ChainContract} against {@link FakeChain}, so the fake behaves as the real node the contract describes. */
class FakeChainContractTest extends ChainContract {

    @Override
    protected ChainFixture newChain() {
        FakeChain chain = new FakeChain(new ChainId(84532));
        // As anvil answers eth_sendRawTransactionSync, which BaseRpcChain uses by default: the contract covers both.
        chain.receiptsOnBroadcast(true);
        Address collection = chain.deployCollection(Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
                .collection();
        return new ChainFixture() {
            @Override
            public Chain chain() {
                return chain;
            }

            @Override
            public ChainId expectedChainId() {
                return new ChainId(84532);
            }

            @Override
            public Address collection() {
                return collection;
            }

            @Override
            public void pause(Address c) {
                chain.pause(c);
            }

            @Override
            public void unpause(Address c) {
                chain.unpause(c);
            }

            @Override
            public void revokeMinterRole(Address c) {
                chain.revokeMinterRole(c);
            }

            @Override
            public void automine(boolean on) {
                chain.automine(on);
            }

            @Override
            public void mine() {
                chain.mine();
            }

            @Override
            public void setMinterBalance(Wei balance) {
                chain.setBalance(chain.minter(), balance);
            }

            @Override
            public long tokenCount(Address c, Address owner) {
                return chain.tokensOf(c, owner).size();
            }

            @Override
            public void reorg(int depth) {
                chain.reorg(depth, false);
            }

            @Override
            public void close() {
            }
        };
    }
}
