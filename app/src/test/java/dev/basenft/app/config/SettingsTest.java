package dev.basenft.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WebhookSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    private static final String KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test");
        env.put("BASE_RPC_URL", "https://mainnet.base.org, https://backup.example/v2/SECRETKEY");
        env.put("FACTORY_ADDRESS", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        env.put("DEPLOYER_ADDRESS", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        env.put("MINTER_PRIVATE_KEY", KEY);
        env.put("APP_DOMAIN", "nft.example");
        return env;
    }

    @Test
    void readsAValidEnvironmentWithDefaults() {
        Settings settings = Settings.fromEnvironment(valid());
        assertThat(settings.rpcUrls()).containsExactly(URI.create("https://mainnet.base.org"),
                URI.create("https://backup.example/v2/SECRETKEY"));
        assertThat(settings.chainId().value()).isEqualTo(8453);
        assertThat(settings.factoryAddress()).isEqualTo(Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        assertThat(settings.redisUri()).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        assertThat(settings.batchSize()).isEqualTo(200);
        assertThat(settings.databasePoolSize()).isEqualTo(10);
        assertThat(settings.breakerFailureThreshold()).isEqualTo(5);
        assertThat(settings.breakerCooldown()).hasSeconds(30);
        assertThat(settings.jobAttempts()).isEqualTo(3);
        assertThat(settings.appEnvironment()).isEqualTo("production");
        assertThat(settings.allowDevAuth()).isFalse();
        assertThat(settings.quickAuthOrigin()).isEqualTo(URI.create("https://auth.farcaster.xyz"));
        assertThat(settings.batchLease()).hasSeconds(120);
        assertThat(settings.receiptTimeout()).hasSeconds(60);
        assertThat(settings.stuckAfter()).hasSeconds(90);
        assertThat(settings.waitDelay()).hasSeconds(15);
        assertThat(settings.queueLockDuration()).hasSeconds(30);
        assertThat(settings.rpcTimeout()).hasSeconds(10);
        assertThat(settings.queueSweep()).hasSeconds(60);
        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isEqualTo(3000);
        assertThat(settings.corsOrigins()).isEmpty();
        assertThat(settings.minterPrivateKey()).contains(KEY);
    }

    @Test
    void theServerNeverReadsTheMinterKey() {
        Map<String, String> env = valid();
        env.remove("MINTER_PRIVATE_KEY");
        Settings server = Settings.fromEnvironment(env, Settings.Role.SERVER);
        assertThat(server.minterPrivateKey()).isEmpty();
        assertThat(server.deployerAddress()).isEqualTo(Address.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
        assertThat(server.toString()).contains("minterPrivateKey=<not read>");

        // Set anyway (a shared environment file): still not read, so not even a malformed one stops the server.
        env.put("MINTER_PRIVATE_KEY", "0xnot-a-key");
        assertThat(Settings.fromEnvironment(env, Settings.Role.SERVER).minterPrivateKey()).isEmpty();
        env.put("MINTER_PRIVATE_KEY", KEY);
        assertThat(Settings.fromEnvironment(env, Settings.Role.SERVER).minterPrivateKey()).isEmpty();

        env.remove("MINTER_PRIVATE_KEY");
        assertThatThrownBy(() -> Settings.fromEnvironment(env, Settings.Role.WORKER))
                .hasMessageContaining("MINTER_PRIVATE_KEY (or MINTER_PRIVATE_KEY_FILE) is required");
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of(), Settings.Role.SERVER))
                .hasMessageContaining("DEPLOYER_ADDRESS is required")
                .message().doesNotContain("MINTER_PRIVATE_KEY");
    }

    @Test
    void readsTheInterfaceToBind() {
        Map<String, String> env = valid();
        for (String host : new String[] {"127.0.0.1", "0.0.0.0", "::1", "::", "api.internal", "10.0.0.7"}) {
            env.put("HOST", host);
            assertThat(Settings.fromEnvironment(env).host()).isEqualTo(host);
        }
        for (String bad : new String[] {"http://0.0.0.0", "0.0.0.0:3000x", "a b", "host/", "-bad-"}) {
            env.put("HOST", bad);
            assertThatThrownBy(() -> Settings.fromEnvironment(env)).as(bad)
                    .hasMessageContaining("HOST must be an interface address such as 0.0.0.0");
        }
    }

    @Test
    void readsCorsOriginsAndRefusesOnesThatCouldNeverMatchOrAllowEveryOrigin() {
        Map<String, String> env = valid();
        env.put("CORS_ORIGINS", "https://console.example.com, http://localhost:5173");
        assertThat(Settings.fromEnvironment(env).corsOrigins())
                .containsExactly("https://console.example.com", "http://localhost:5173");
        env.put("CORS_ORIGINS", "*");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("CORS_ORIGINS entry 1 of 1 must name an origin");
        env.put("CORS_ORIGINS", "https://console.example.com,https://app.example.com/,");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("CORS_ORIGINS entry 2 of 3 must be a lower-case http(s) origin without path")
                .hasMessageContaining("CORS_ORIGINS entry 3 of 3 must not be blank")
                .message().doesNotContain("entry 1 of 3");
    }

    @Test
    void aPlainHttpQuickAuthOriginIsOnlyForLoopbackInProduction() {
        Map<String, String> env = valid();
        env.put("QUICK_AUTH_ORIGIN", "http://auth.example.com");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("QUICK_AUTH_ORIGIN must be https in production, got 'http://auth.example.com'");
        for (String local : new String[] {"http://127.0.0.1:4000", "http://localhost:4000", "http://[::1]:4000",
                "https://auth.example.com"}) {
            env.put("QUICK_AUTH_ORIGIN", local);
            assertThat(Settings.fromEnvironment(env).quickAuthOrigin()).as(local).isEqualTo(URI.create(local));
        }
        env.put("QUICK_AUTH_ORIGIN", "http://auth.example.com");
        env.put("APP_ENV", "development");
        assertThat(Settings.fromEnvironment(env).quickAuthOrigin()).isEqualTo(URI.create("http://auth.example.com"));
    }

    @Test
    void theWorkerTimingsDefaultToWhatCoreAndTheAdaptersUseOnTheirOwn() {
        // The settings only make the timings adjustable; left alone, a worker behaves as it did before they existed.
        Settings settings = Settings.fromEnvironment(valid());
        DistributionSettings core = DistributionSettings.DEFAULTS;
        assertThat(settings.batchLease()).isEqualTo(core.lease());
        assertThat(settings.receiptTimeout()).isEqualTo(core.receiptTimeout());
        assertThat(settings.stuckAfter()).isEqualTo(core.stuckAfter());
        assertThat(settings.waitDelay()).isEqualTo(core.waitDelay());
    }

    @Test
    void readsShorterWorkerTimings() {
        Map<String, String> env = valid();
        env.put("BATCH_LEASE_SECONDS", "20");
        env.put("RECEIPT_TIMEOUT_SECONDS", "8");
        env.put("STUCK_AFTER_SECONDS", "6");
        env.put("WAIT_DELAY_SECONDS", "2");
        env.put("QUEUE_LOCK_SECONDS", "5");
        env.put("RPC_TIMEOUT_SECONDS", "3");
        env.put("QUEUE_SWEEP_SECONDS", "7");
        Settings settings = Settings.fromEnvironment(env);
        assertThat(settings.batchLease()).hasSeconds(20);
        assertThat(settings.receiptTimeout()).hasSeconds(8);
        assertThat(settings.stuckAfter()).hasSeconds(6);
        assertThat(settings.waitDelay()).hasSeconds(2);
        assertThat(settings.queueLockDuration()).hasSeconds(5);
        assertThat(settings.rpcTimeout()).hasSeconds(3);
        assertThat(settings.queueSweep()).hasSeconds(7);
    }

    @Test
    void readsTheNonceCheckIntervalDefaultingToHalfAMinuteAndRefusesANonPositiveOne() {
        assertThat(Settings.fromEnvironment(valid()).nonceCheck()).hasSeconds(30);
        Map<String, String> env = valid();
        env.put("NONCE_CHECK_SECONDS", "5");
        assertThat(Settings.fromEnvironment(env).nonceCheck()).hasSeconds(5);
        env.put("NONCE_CHECK_SECONDS", "0");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("NONCE_CHECK_SECONDS");
    }

    @Test
    void readsTheWebhookSettingsWithDefaultsAndRefusesBadOnesByName() {
        Settings defaults = Settings.fromEnvironment(valid());
        assertThat(defaults.webhooks()).isEqualTo(WebhookSettings.defaults());
        assertThat(defaults.webhookDelivery()).isTrue();

        Map<String, String> env = valid();
        env.put("WEBHOOK_MAX_ATTEMPTS", "3");
        env.put("WEBHOOK_BACKOFF_MS", "250");
        env.put("WEBHOOK_MAX_BACKOFF_SECONDS", "2");
        env.put("WEBHOOK_TIMEOUT_MS", "1500");
        env.put("WEBHOOK_POLL_MS", "50");
        env.put("WEBHOOK_DELIVERY", "off");
        env.put("APP_ENV", "development");
        Settings set = Settings.fromEnvironment(env);
        assertThat(set.webhooks()).isEqualTo(new WebhookSettings(true, 3, Duration.ofMillis(250), Duration.ofSeconds(2),
                Duration.ofMillis(1500), Duration.ofMillis(6500), Duration.ofMillis(50)));
        assertThat(set.webhookDelivery()).isFalse();

        for (String[] bad : new String[][] {{"WEBHOOK_MAX_ATTEMPTS", "0"}, {"WEBHOOK_BACKOFF_MS", "x"},
                {"WEBHOOK_TIMEOUT_MS", "5"}, {"WEBHOOK_DELIVERY", "maybe"}, {"WEBHOOK_POLL_MS", "-1"}}) {
            Map<String, String> wrong = valid();
            wrong.put(bad[0], bad[1]);
            assertThatThrownBy(() -> Settings.fromEnvironment(wrong)).as(bad[0])
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining(bad[0]);
        }
        Map<String, String> inverted = valid();
        inverted.put("WEBHOOK_BACKOFF_MS", "5000");
        inverted.put("WEBHOOK_MAX_BACKOFF_SECONDS", "1");
        assertThatThrownBy(() -> Settings.fromEnvironment(inverted)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("WEBHOOK_MAX_BACKOFF_SECONDS (1) must be at least WEBHOOK_BACKOFF_MS (5000 ms)");
    }

    @Test
    void refusesAReceiptTimeoutThatOutlastsTheLeaseNamingBoth() {
        Map<String, String> env = valid();
        env.put("BATCH_LEASE_SECONDS", "30");
        env.put("RECEIPT_TIMEOUT_SECONDS", "30");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("RECEIPT_TIMEOUT_SECONDS (30) must be shorter than BATCH_LEASE_SECONDS (30)");
    }

    @Test
    void refusesWorkerTimingsThatAreNotPositive() {
        Map<String, String> env = valid();
        env.put("STUCK_AFTER_SECONDS", "0");
        env.put("WAIT_DELAY_SECONDS", "-1");
        env.put("QUEUE_LOCK_SECONDS", "soon");
        env.put("RPC_TIMEOUT_SECONDS", "0");
        env.put("QUEUE_SWEEP_SECONDS", "0");
        env.put("BATCH_LEASE_SECONDS", "0");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("STUCK_AFTER_SECONDS")
                .hasMessageContaining("WAIT_DELAY_SECONDS")
                .hasMessageContaining("QUEUE_LOCK_SECONDS")
                .hasMessageContaining("RPC_TIMEOUT_SECONDS")
                .hasMessageContaining("QUEUE_SWEEP_SECONDS")
                .hasMessageContaining("BATCH_LEASE_SECONDS");
    }

    @Test
    void acceptsTheRunbookAliases() {
        Map<String, String> env = valid();
        env.remove("APP_DOMAIN");
        env.remove("FACTORY_ADDRESS");
        env.put("NEXT_PUBLIC_APP_DOMAIN", "alias.example");
        env.put("NEXT_PUBLIC_FACTORY_ADDRESS", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        env.put("NODE_ENV", "development");
        env.put("ALLOW_DEV_AUTH", "true");
        Settings settings = Settings.fromEnvironment(env);
        assertThat(settings.appDomain()).isEqualTo("alias.example");
        assertThat(settings.isDevelopment()).isTrue();
        assertThat(settings.allowDevAuth()).isTrue();
    }

    @Test
    void namesEveryMissingVariableAtOnce() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).anySatisfy(p -> assertThat(p)
                        .startsWith("DATABASE_URL is required")))
                .hasMessageContaining("BASE_RPC_URL is required")
                .hasMessageContaining("FACTORY_ADDRESS is required")
                .hasMessageContaining("DEPLOYER_ADDRESS is required")
                .hasMessageContaining("MINTER_PRIVATE_KEY (or MINTER_PRIVATE_KEY_FILE) is required")
                .hasMessageContaining("APP_DOMAIN is required");
    }

    @Test
    void refusesDevAuthOutsideDevelopment() {
        Map<String, String> env = valid();
        env.put("ALLOW_DEV_AUTH", "true");
        env.put("APP_ENV", "production");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("ALLOW_DEV_AUTH=true is only allowed with APP_ENV=development");
    }

    @Test
    void takesOnlyAsciiDigitsForNumbers() {
        Map<String, String> env = valid();
        env.put("BATCH_SIZE", "\u0661\u0660\u0660");
        env.put("CHAIN_ID", "\uFF18\uFF14\uFF15\uFF13");
        env.put("PORT", "+8080");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("BATCH_SIZE must be a whole number from 1 to 349, got '\u0661\u0660\u0660'")
                .hasMessageContaining("CHAIN_ID must be a positive chain id")
                .hasMessageContaining("PORT must be a whole number");
    }

    @Test
    void namesInvalidValuesWithoutEchoingSecrets() {
        Map<String, String> env = valid();
        env.put("MINTER_PRIVATE_KEY", "0xnot-a-key-but-secret-looking");
        env.put("BASE_RPC_URL", "https://ok.example,ftp://bad.example/KEY123");
        env.put("BATCH_SIZE", "1000");
        env.put("DATABASE_POOL_SIZE", "0");
        env.put("CHAIN_ID", "base");
        env.put("DEPLOYER_ADDRESS", "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("MINTER_PRIVATE_KEY must be 64 hex digits")
                .hasMessageContaining("BASE_RPC_URL entry 2 of 2 is not an http(s) URL")
                .hasMessageContaining("BATCH_SIZE must be a whole number from 1 to 349, got '1000'")
                .hasMessageContaining("DATABASE_POOL_SIZE must be a whole number from 1 to 200, got '0'")
                .hasMessageContaining("CHAIN_ID must be a positive chain id")
                .hasMessageContaining("DEPLOYER_ADDRESS must be an EIP-55 or lower-case 0x address")
                .hasMessageContaining("bad EIP-55 checksum")
                .message().doesNotContain("secret-looking").doesNotContain("KEY123");
    }

    @Test
    void readsTheKeyFromAFileAndNeverPrintsIt(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("minter.key");
        Files.writeString(keyFile, KEY + "\n");
        Map<String, String> env = valid();
        env.remove("MINTER_PRIVATE_KEY");
        env.put("MINTER_PRIVATE_KEY_FILE", keyFile.toString());
        env.put("DATABASE_URL", "postgresql://admin:hunter2@db.example:5432/nft");
        Settings settings = Settings.fromEnvironment(env);
        assertThat(settings.minterPrivateKey()).contains(KEY);
        assertThat(settings.toString()).doesNotContain(KEY.substring(2)).doesNotContain("hunter2")
                .doesNotContain("SECRETKEY").contains("minterPrivateKey=<redacted>");
    }

    @Test
    void refusesBothKeyAndKeyFile(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("k");
        Files.writeString(keyFile, KEY);
        Map<String, String> env = valid();
        env.put("MINTER_PRIVATE_KEY_FILE", keyFile.toString());
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("set only one of MINTER_PRIVATE_KEY and MINTER_PRIVATE_KEY_FILE");
    }

    @Test
    void readsRedisFromUrlOrHostAndPort() {
        Map<String, String> env = valid();
        env.put("REDIS_HOST", "cache.internal");
        env.put("REDIS_PORT", "6380");
        assertThat(Settings.fromEnvironment(env).redisUri()).isEqualTo(URI.create("redis://cache.internal:6380"));
        env.put("REDIS_URL", "redis://other:7000/2");
        assertThat(Settings.fromEnvironment(env).redisUri()).isEqualTo(URI.create("redis://other:7000/2"));
        env.put("REDIS_URL", "http://nope");
        assertThatThrownBy(() -> Settings.fromEnvironment(env)).hasMessageContaining("REDIS_URL must be a redis://host:port URL");
    }

    private static Map<String, String> withMiniApp() {
        Map<String, String> env = valid();
        env.put("FARCASTER_HEADER", "eyJmaWQiOjF9");
        env.put("FARCASTER_PAYLOAD", "eyJkb21haW4iOiJuZnQuZXhhbXBsZSJ9");
        env.put("FARCASTER_SIGNATURE", "MHhhYmM=");
        env.put("MINIAPP_NAME", "Drops");
        env.put("MINIAPP_HOME_URL", "https://nft.example/");
        env.put("MINIAPP_ICON_URL", "https://nft.example/icon.png");
        env.put("MINIAPP_IMAGE_URL", "https://nft.example/embed.png");
        return env;
    }

    @Test
    void theMiniAppIsUnsetByDefaultAndReadWhenAllOfItIsThere() {
        assertThat(Settings.fromEnvironment(valid()).miniApp()).isEmpty();

        var app = Settings.fromEnvironment(withMiniApp()).miniApp().orElseThrow();

        assertThat(app.name()).isEqualTo("Drops");
        assertThat(app.homeUrl()).isEqualTo(URI.create("https://nft.example/"));
        assertThat(app.buttonTitle()).isEqualTo("Open");
        assertThat(app.splashImageUrl()).as("the icon by default").isEqualTo(URI.create("https://nft.example/icon.png"));
        assertThat(app.splashBackgroundColor()).isEqualTo("#0052ff");
        assertThat(Settings.fromEnvironment(withMiniApp()).toString()).contains("miniApp=Drops at https://nft.example/");
    }

    @Test
    void refusesAHalfConfiguredMiniAppNamingWhatIsMissing() {
        Map<String, String> env = withMiniApp();
        env.remove("FARCASTER_SIGNATURE");
        env.remove("MINIAPP_ICON_URL");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContaining("half configured: FARCASTER_SIGNATURE, MINIAPP_ICON_URL missing");

        Map<String, String> badColour = withMiniApp();
        badColour.put("MINIAPP_SPLASH_BACKGROUND_COLOR", "blue");
        assertThatThrownBy(() -> Settings.fromEnvironment(badColour)).hasMessageContaining("splashBackgroundColor");
    }

    @Test
    void readsTheManagementPortDefaultingTo9464AndRefusesOneOutOfRange() {
        assertThat(Settings.fromEnvironment(valid()).managementPort()).isEqualTo(9464);
        Map<String, String> env = valid();
        env.put("MANAGEMENT_PORT", "0");
        assertThat(Settings.fromEnvironment(env).managementPort()).as("0 picks a free port").isZero();
        assertThat(Settings.fromEnvironment(env).toString()).contains("managementPort=0");

        env.put("MANAGEMENT_PORT", "70000");
        assertThatThrownBy(() -> Settings.fromEnvironment(env)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MANAGEMENT_PORT");
    }

    @Test
    void waitsForConfirmationsByChainUnlessToldOtherwise() {
        assertThat(Settings.fromEnvironment(valid()).confirmations()).as("Base mainnet").isEqualTo(10);
        Map<String, String> env = valid();
        env.put("CHAIN_ID", "84532");
        assertThat(Settings.fromEnvironment(env).confirmations()).as("Base Sepolia").isEqualTo(10);
        env.put("CHAIN_ID", "31337");
        assertThat(Settings.fromEnvironment(env).confirmations()).as("anvil: automine makes no further block").isZero();
        env.put("CHAIN_ID", "1");
        assertThat(Settings.fromEnvironment(env).confirmations()).as("an unknown chain").isEqualTo(64);
        env.put("CONFIRMATIONS", "0");
        assertThat(Settings.fromEnvironment(env).confirmations()).isZero();
        env.put("CHAIN_ID", "8453");
        env.put("CONFIRMATIONS", "1000");
        Settings set = Settings.fromEnvironment(env);
        assertThat(set.confirmations()).isEqualTo(1000);
        assertThat(set.toString()).contains("confirmations=1000");
    }

    @Test
    void refusesNegativeOrAbsurdConfirmationsNamingTheSetting() {
        for (String bad : List.of("-1", "1001", "ten", "2.5")) {
            Map<String, String> env = valid();
            env.put("CONFIRMATIONS", bad);
            assertThatThrownBy(() -> Settings.fromEnvironment(env))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("CONFIRMATIONS must be a whole number from 0 to 1000, got '" + bad + "'");
        }
    }

    @Test
    void confirmationLatencySettingsDefaultToMeasuredPollingDerivedWebSocketPlainSendsAndNoPreconfirmations() {
        Settings settings = Settings.fromEnvironment(valid());

        assertThat(settings.receiptPoll()).isEmpty();
        assertThat(settings.webSocketUrl()).as("derived from the first BASE_RPC_URL").contains(URI.create("wss://mainnet.base.org"));
        assertThat(settings.sendSync()).as("opt-in: it held back anvil's blocks").isFalse();
        assertThat(settings.acceptPreconfirmations()).isFalse();
    }

    @Test
    void confirmationLatencySettingsAreRead() {
        Map<String, String> env = valid();
        env.put("RECEIPT_POLL_MS", "250");
        env.put("BASE_WS_URL", "wss://ws.example/v2/SECRETKEY");
        env.put("SEND_SYNC", "auto");
        env.put("ACCEPT_PRECONFIRMATIONS", "true");

        Settings settings = Settings.fromEnvironment(env);

        assertThat(settings.receiptPoll()).contains(java.time.Duration.ofMillis(250));
        assertThat(settings.webSocketUrl()).contains(URI.create("wss://ws.example/v2/SECRETKEY"));
        assertThat(settings.sendSync()).isTrue();
        assertThat(settings.acceptPreconfirmations()).isTrue();
        assertThat(settings.toString()).doesNotContain("SECRETKEY");
        env.put("BASE_WS_URL", "off");
        assertThat(Settings.fromEnvironment(env).webSocketUrl()).isEmpty();
        env.put("BASE_RPC_URL", "http://127.0.0.1:8545");
        env.put("BASE_WS_URL", "auto");
        assertThat(Settings.fromEnvironment(env).webSocketUrl()).contains(URI.create("ws://127.0.0.1:8545"));
    }

    @Test
    void refusesBadConfirmationLatencySettingsNamingThem() {
        Map<String, String> env = valid();
        env.put("RECEIPT_POLL_MS", "5");
        env.put("BASE_WS_URL", "https://ws.example/SECRETKEY");
        env.put("SEND_SYNC", "always");
        env.put("ACCEPT_PRECONFIRMATIONS", "maybe");

        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("RECEIPT_POLL_MS")
                .hasMessageContaining("BASE_WS_URL must be auto, off, or a ws:// or wss:// URL")
                .hasMessageContaining("SEND_SYNC must be auto or off, got 'always'")
                .hasMessageContaining("ACCEPT_PRECONFIRMATIONS")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRETKEY"));
    }
}
