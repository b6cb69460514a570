package dev.basenft.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployFactorySettingsTest {

    private static final String KEY = "0x" + "ab".repeat(32);

    @Test
    void readsTheChainTheMinterAndTheKeyThatPays() {
        DeployFactorySettings settings = DeployFactorySettings.fromEnvironment(Map.of("BASE_RPC_URL",
                "https://sepolia.base.org, http://127.0.0.1:8545", "CHAIN_ID", "84532", "DEPLOYER_ADDRESS",
                "0x52908400098527886E0F7030069857D2E4169EE7", "DEPLOY_PRIVATE_KEY", KEY));

        assertThat(settings.rpcUrls()).hasSize(2);
        assertThat(settings.chainId()).isEqualTo(new ChainId(84532));
        assertThat(settings.minter()).isEqualTo(Address.parse("0x52908400098527886E0F7030069857D2E4169EE7"));
        assertThat(settings.toString()).doesNotContain("abab");
    }

    @Test
    void namesEveryMissingVariableAndNoSecret() {
        assertThatThrownBy(() -> DeployFactorySettings.fromEnvironment(Map.of("DEPLOY_PRIVATE_KEY", "0x1234" + "zz")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("BASE_RPC_URL").hasMessageContaining("CHAIN_ID is required")
                .hasMessageContaining("DEPLOYER_ADDRESS").hasMessageContaining("DEPLOY_PRIVATE_KEY must be 64 hex digits")
                .hasMessageNotContaining("1234zz");
    }
}
