package dev.basenft.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.app.config.Settings;
import dev.basenft.core.model.ChainUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ChainSizingTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test");
        env.put("BASE_RPC_URL", "http://127.0.0.1:8545");
        env.put("FACTORY_ADDRESS", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        env.put("DEPLOYER_ADDRESS", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        env.put("APP_DOMAIN", "nft.example");
        return env;
    }

    private static Settings settings(Map<String, String> env) {
        return Settings.fromEnvironment(env, Settings.Role.SERVER);
    }

    @Test
    void unsetValuesAreSizedFromTheBlockGasLimit() {
        ChainSizing thirty = ChainSizing.resolve(settings(env()), () -> 30_000_000L);
        ChainSizing base = ChainSizing.resolve(settings(env()), () -> 400_000_000L);

        assertThat(thirty.source()).isEqualTo(ChainSizing.Source.CHAIN);
        assertThat(thirty).extracting(ChainSizing::batchSize, ChainSizing::maxInFlight, ChainSizing::workerConcurrency)
                .containsExactly(296, 8, 10);
        assertThat(thirty.description()).contains("block gas limit 30,000,000").contains("batch 296, 2 per block")
                .contains("margin 5 %");
        assertThat(base).extracting(ChainSizing::batchSize, ChainSizing::maxInFlight, ChainSizing::workerConcurrency)
                .containsExactly(330, 72, 96);
    }

    @Test
    void settingsRememberWhatWasSet() {
        Map<String, String> env = env();
        env.put("BATCH_SIZE", "200");

        Settings settings = settings(env);

        assertThat(settings.explicitBatchSize()).hasValue(200);
        assertThat(settings.explicitMaxInFlight()).isEqualTo(OptionalInt.empty());
        assertThat(settings.explicitWorkerConcurrency()).isEqualTo(OptionalInt.empty());
        assertThat(settings(env()).explicitBatchSize()).as("200 is also the fallback, but unset").isEmpty();
    }

    @Test
    void setValuesWinAndTheRestFollowTheSetBatchSize() {
        Map<String, String> env = env();
        env.put("BATCH_SIZE", "100");
        env.put("WORKER_CONCURRENCY", "50");

        ChainSizing sized = ChainSizing.resolve(settings(env), () -> 400_000_000L);

        assertThat(sized.batchSize()).isEqualTo(100);
        assertThat(sized.maxInFlight()).as("78 batches of 100 a block, three blocks' worth").isEqualTo(234);
        assertThat(sized.workerConcurrency()).isEqualTo(50);
        assertThat(sized.description()).contains("batch 100 (BATCH_SIZE)").contains("concurrency 50 (WORKER_CONCURRENCY)");
    }

    @Test
    void whenEverythingIsSetTheChainIsNotRead() {
        Map<String, String> env = env();
        env.put("BATCH_SIZE", "120");
        env.put("MAX_IN_FLIGHT", "4");
        env.put("WORKER_CONCURRENCY", "6");
        AtomicInteger reads = new AtomicInteger();

        ChainSizing sized = ChainSizing.resolve(settings(env), () -> {
            reads.incrementAndGet();
            return 30_000_000L;
        });

        assertThat(sized).extracting(ChainSizing::batchSize, ChainSizing::maxInFlight, ChainSizing::workerConcurrency,
                ChainSizing::source).containsExactly(120, 4, 6, ChainSizing.Source.SET);
        assertThat(reads).hasValue(0);
    }

    @Test
    void anOutageAtStartFallsBackToTheDefaultsWithAReason() {
        LongSupplier down = () -> {
            throw new ChainUnavailableException("connection refused");
        };

        ChainSizing sized = ChainSizing.resolve(settings(env()), down);

        assertThat(sized).extracting(ChainSizing::batchSize, ChainSizing::maxInFlight, ChainSizing::workerConcurrency,
                ChainSizing::source).containsExactly(200, 8, 8, ChainSizing.Source.FALLBACK);
        assertThat(sized.description()).contains("connection refused").contains("batch 200");
    }

    @Test
    void theGasMarginSettingChangesTheSize() {
        Map<String, String> env = env();
        env.put("GAS_MARGIN_PERCENT", "20");

        Settings settings = settings(env);

        assertThat(settings.gasMarginPercent()).isEqualTo(20);
        assertThat(ChainSizing.resolve(settings, () -> 30_000_000L).batchSize()).isEqualTo(259);
    }
}
