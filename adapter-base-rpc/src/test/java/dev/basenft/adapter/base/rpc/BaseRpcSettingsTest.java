package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Wei;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings and keys are validated naming the parameter, and never show a secret. */
class BaseRpcSettingsTest {

    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static final Address FACTORY = Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");

    private static BaseRpcSettings.Builder valid() {
        return BaseRpcSettings.builder()
                .rpcUrls("https://base-mainnet.g.alchemy.com/v2/SECRET-KEY", "https://mainnet.base.org")
                .minterKey(MinterKey.fromHex(KEY))
                .factory(FACTORY);
    }

    @Test
    void defaultsFollowTheSpec() {
        BaseRpcSettings settings = valid().build();
        assertThat(settings.chainId()).isEqualTo(ChainId.BASE);
        assertThat(settings.retry().maxAttempts()).isEqualTo(3);
        assertThat(settings.retry().jitter()).isPositive();
        assertThat(settings.gasCap()).isEqualTo(16_777_216);
        assertThat(settings.receiptPollInterval()).isLessThan(Duration.ofSeconds(2));
        assertThat(settings.rpcUrls()).containsExactly(URI.create("https://base-mainnet.g.alchemy.com/v2/SECRET-KEY"),
                URI.create("https://mainnet.base.org"));
    }

    @Test
    void toStringRedactsTheKeyAndUrlPaths() {
        String text = valid().build().toString();
        assertThat(text).doesNotContain("SECRET-KEY").doesNotContain(KEY.substring(2)).doesNotContain(KEY.substring(2, 20))
                .contains("https://base-mainnet.g.alchemy.com/…").contains("https://mainnet.base.org")
                .contains("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").contains("key redacted");
        assertThat(MinterKey.fromHex(KEY).toString()).isEqualTo(
                "MinterKey[address=0x70997970C51812dc3A010C7d01b50e0d17dc79C8, key=<redacted>]");
    }

    @Test
    void invalidSettingsNameTheParameter() {
        assertThatThrownBy(() -> valid().rpcUrls(List.of()).build()).hasMessageContaining("rpcUrls must name at least one");
        assertThatThrownBy(() -> valid().rpcUrls("ws://node/ws-secret").build())
                .hasMessageContaining("rpcUrls[0] must be an http or https URL").hasMessageNotContaining("ws-secret");
        assertThatThrownBy(() -> valid().rpcUrls("https://a.example/k1", "https://a.example/k1").build())
                .hasMessageContaining("rpcUrls[1] repeats").hasMessageNotContaining("k1");
        assertThatThrownBy(() -> valid().rpcUrls("https://bad url/secret").build())
                .hasMessage("rpcUrls[0] is not a valid URL");
        assertThatThrownBy(() -> valid().minterKey(null).build()).hasMessageStartingWith("minterKey must not be null");
        Address other = Address.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        assertThatThrownBy(() -> valid().minter(other).build()).hasMessageContaining("minterKey signs for "
                + MinterKey.fromHex(KEY).address() + ", not for minter " + other);
        assertThatThrownBy(() -> valid().factory(Address.ZERO).build()).hasMessageContaining("factory must not be the zero");
        assertThatThrownBy(() -> valid().callTimeout(Duration.ZERO).build()).hasMessageContaining("callTimeout must be a positive duration");
        assertThatThrownBy(() -> valid().gasMarginPercent(101).build()).hasMessageContaining("gasMarginPercent");
        assertThatThrownBy(() -> valid().gasCap(20_999).build()).hasMessageContaining("gasCap");
        assertThatThrownBy(() -> valid().priorityFee(null).build()).hasMessage("priorityFee must not be null");
        assertThatThrownBy(() -> valid().logsFromBlock(-1).build()).hasMessageContaining("logsFromBlock");
        assertThatThrownBy(() -> new RetrySettings(0, Duration.ofMillis(1), Duration.ofMillis(1), 0))
                .hasMessageContaining("retry.maxAttempts");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("retry.maxBackoff");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(1), 1.0))
                .hasMessageContaining("retry.jitter");
        assertThat(valid().priorityFee(Wei.ZERO).gasMarginPercent(0).build().gasMarginPercent()).isZero();
    }

    @Test
    void theMintersAddressAloneMakesSettingsThatCannotSign() {
        Address minter = MinterKey.fromHex(KEY).address();
        BaseRpcSettings readOnly = valid().minterKey(null).minter(minter).build();
        assertThat(readOnly.minter()).isEqualTo(minter);
        assertThat(readOnly.minterKey()).isEmpty();
        assertThat(readOnly.canSign()).isFalse();
        assertThat(readOnly.toString()).contains(minter + " (no key)").doesNotContain("key redacted");
        BaseRpcSettings signing = valid().build();
        assertThat(signing.minter()).isEqualTo(minter);
        assertThat(signing.canSign()).isTrue();
        assertThat(valid().minter(minter).build().canSign()).as("the key's own address may be given too").isTrue();
    }

    @Test
    void badKeysAreRefusedWithoutQuotingThem() {
        String secretLooking = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690z";
        assertThatThrownBy(() -> MinterKey.fromHex(secretLooking))
                .hasMessage("minterPrivateKey has a non-hex character at position 64");
        // ARABIC-INDIC DIGIT NINE and FULLWIDTH LATIN SMALL LETTER F in place of the last digit: lookalikes are refused.
        for (String lookalike : new String[] {"\u0669", "\uff46"}) {
            assertThatThrownBy(() -> MinterKey.fromHex(secretLooking.substring(0, 65) + lookalike))
                    .hasMessage("minterPrivateKey has a non-ASCII character at position 64; only the ASCII hex digits 0-9,"
                            + " a-f and A-F are accepted");
        }
        assertThatThrownBy(() -> MinterKey.fromHex("0x1234")).hasMessageContaining("64 hex digits")
                .hasMessageNotContaining("1234");
        assertThatThrownBy(() -> MinterKey.fromHex("0".repeat(64))).hasMessageContaining("not a valid secp256k1");
        assertThatThrownBy(() -> MinterKey.fromHex("f".repeat(64))).hasMessageContaining("not a valid secp256k1");
        assertThatThrownBy(() -> MinterKey.fromHex(null)).hasMessage("minterPrivateKey must not be null");
        assertThat(MinterKey.fromHex("  " + KEY.substring(2).toUpperCase() + "\n").address())
                .isEqualTo(Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
    }
}
