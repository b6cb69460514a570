package dev.basenft.adapter.base.rpc;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Wei;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code /health/ready} shows about the chain (docs/architecture.md#http-api): the node's head, how fast it
 * answered, the minter's wallet, and whether the factory grants MINTER_ROLE to that wallet.
 *
 * @param blockNumber the latest block the node knows
 * @param latency how long {@code eth_blockNumber} took, failover and retries included; never null
 * @param endpoint the RPC endpoint that answered, redacted to scheme, host and port; never null
 * @param minter the minter wallet; never null
 * @param minterBalance its balance; never null
 * @param factory the configured factory; never null
 * @param factoryMinter the address the factory grants MINTER_ROLE to (its {@code minter()}), or empty when no factory
 *        contract answers at {@code factory}; never null
 * @param factoryBindsCampaigns whether the factory answers {@code predictCollection}, i.e. is a version whose collections
 *        are bound to their campaign; the deploy calls this engine hands out fail on an older one
 */
public record Readiness(long blockNumber, Duration latency, String endpoint, Address minter, Wei minterBalance,
        Address factory, Optional<Address> factoryMinter, boolean factoryBindsCampaigns) {

    public Readiness {
        Require.notNull("latency", latency);
        Require.notNull("endpoint", endpoint);
        Require.notNull("minter", minter);
        Require.notNull("minterBalance", minterBalance);
        Require.notNull("factory", factory);
        Require.notNull("factoryMinter", factoryMinter);
    }

    /** True when new collections from the factory will let our minter mint (DEPLOYER_ADDRESS must be the minter). */
    public boolean factoryMinterMatches() {
        return factoryMinter.map(minter::equals).orElse(false);
    }
}
