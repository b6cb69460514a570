package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link FactoryDeployer} on anvil: the contracts land where CREATE2 says, the factory's collections give the minter
 * MINTER_ROLE, a second run for the same minter sends nothing, and only an explicit request deploys another factory.
 */
class FactoryDeployerTest {

    /** anvil's dev key 3 (published by Foundry; worthless anywhere but a local chain): pays, and is not the minter. */
    private static final String PAYER_KEY = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

    private static DevChain dev;
    private static MinterKey payer;

    @BeforeAll
    static void start() {
        dev = DevChain.start();
        payer = MinterKey.fromHex(PAYER_KEY);
        assertThat(payer.address()).as("dev key 3 is anvil's account 3").isEqualTo(dev.stranger);
    }

    @AfterAll
    static void stop() {
        dev.close();
    }

    private static FactoryDeployer deployer() {
        return FactoryDeployer.connect(List.of(dev.anvil.url()), new ChainId(AnvilProcess.CHAIN_ID), payer);
    }

    @Test
    void deploysAFactoryWhoseCollectionsTheMinterMayMintIntoThenRefusesToDeployItTwice() {
        Address minter = DevChain.freshAddresses(1).getFirst();
        try (FactoryDeployer deployer = deployer()) {
            FactoryDeployer.Outcome first = deployer.deploy(minter, false);

            assertThat(first).isInstanceOf(FactoryDeployer.Outcome.Deployed.class);
            assertThat(first.minter()).isEqualTo(minter);
            assertThat(dev.rpc.call("eth_getCode", first.implementation().lowerCase(), "latest").asText())
                    .isEqualTo(ContractArtifact.collection().deployedBytecode());
            Address collection = dev.createCollection(first.factory(), "Deployed", "DPL", "ipfs://d/");
            assertThat(Abi.decodeBool(dev.rpc.ethCall(null, collection, Abi.hasRole(Abi.MINTER_ROLE, minter))))
                    .as("the factory's collections let the minter mint").isTrue();
            long payerNonce = dev.rpc.nonce(payer.address(), "latest");

            FactoryDeployer.Outcome second = deployer.deploy(minter, false);

            assertThat(second).isEqualTo(new FactoryDeployer.Outcome.AlreadyDeployed(first.implementation(), first.factory(),
                    minter));
            assertThat(dev.rpc.nonce(payer.address(), "latest")).as("nothing sent").isEqualTo(payerNonce);

            FactoryDeployer.Outcome another = deployer.deploy(minter, true);

            assertThat(another).isInstanceOfSatisfying(FactoryDeployer.Outcome.Deployed.class, d -> assertThat(
                    d.implementationTransaction()).as("the implementation is shared").isEmpty());
            assertThat(another.factory()).isNotEqualTo(first.factory());
            assertThat(another.implementation()).isEqualTo(first.implementation());
        }
    }

    @Test
    void refusesAnEndpointOfAnotherChain() {
        assertThatThrownBy(() -> FactoryDeployer.connect(List.of(dev.anvil.url()), new ChainId(84532), payer))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("84532");
    }

    @Test
    void saysSoWhenTheChainHasNoDeterministicDeploymentProxy() {
        try (AnvilProcess bare = AnvilProcess.start("--disable-default-create2-deployer");
                FactoryDeployer deployer = FactoryDeployer.connect(List.of(bare.url()),
                        new ChainId(AnvilProcess.CHAIN_ID), payer)) {
            assertThatThrownBy(() -> deployer.deploy(dev.minter, false)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(FactoryDeployer.CREATE2_PROXY.toString());
        }
    }
}
