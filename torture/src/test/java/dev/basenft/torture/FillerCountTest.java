package dev.basenft.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.testing.DevChain;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The torture rows count filler nonces from the chain alone ({@link Verification#fillersOnChain}): only the minter's
 * zero-value transactions to itself after the campaign's start block are fillers. Checked here on a real anvil, since no
 * worker sends fillers yet and the rows would otherwise never see one.
 */
class FillerCountTest {

    @Test
    void onlyTheMintersZeroValueTransactionsToItselfAfterTheStartBlockAreCountedAsFillers() {
        try (DevChain chain = DevChain.start()) {
            // Before the start block: not the distribution's.
            chain.rpc.sendAndMine(chain.minter, chain.minter, "0x", null);
            long start = chain.rpc.blockNumber();
            assertThat(Verification.fillersOnChain(chain.rpc, chain.minter, start)).isZero();

            chain.rpc.sendAndMine(chain.minter, chain.minter, "0x", null); // a filler
            chain.rpc.sendAndMine(chain.minter, chain.stranger, "0x", null); // to someone else
            chain.rpc.sendAndMine(chain.stranger, chain.stranger, "0x", null); // not from the minter
            String paid = chain.rpc.call("eth_sendTransaction", Map.of("from", chain.minter.lowerCase(), "to",
                    chain.minter.lowerCase(), "value", "0x1")).asText(); // carries value
            if (chain.rpc.call("eth_getTransactionReceipt", paid).isNull()) {
                chain.rpc.call("evm_mine"); // anvil had not mined it yet (seen once in CI), as DevRpc.sendAndMine does
            }
            assertThat(chain.rpc.call("eth_getTransactionReceipt", paid).isNull()).isFalse();
            chain.rpc.sendAndMine(chain.minter, chain.minter, "0x", null); // a second filler

            assertThat(Verification.fillersOnChain(chain.rpc, chain.minter, start)).isEqualTo(2);
        }
    }
}
