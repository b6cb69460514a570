package dev.basenft.core.testing;

import dev.basenft.core.port.out.NewBlocks;
import dev.basenft.core.testing.contract.NewBlocksContract;

/** {@link FakeChain} as news of blocks: the in-memory side of {@link NewBlocksContract}. */
class FakeChainNewBlocksContractTest extends NewBlocksContract {

    @Override
    protected Fixture newBlocks() {
        FakeChain chain = new FakeChain();
        chain.automine(false);
        return new Fixture() {
            @Override
            public NewBlocks blocks() {
                return chain;
            }

            @Override
            public void mineBlock() {
                chain.mine();
            }

            @Override
            public long chainHead() {
                return chain.blockNumber();
            }
        };
    }
}
