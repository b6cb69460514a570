package dev.basenft.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.testing.DevChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged fat jar as an operator runs it ({@code java -jar base-nft-app.jar …}), as a separate process: bad settings
 * stop it with a non-zero exit code and a message naming the variable (never the secret), a chain-id mismatch refuses to
 * start, and SIGTERM shuts a worker down gracefully with exit code 0.
 */
class FatJarIT {

    private static final Path JAR = Path.of("target/base-nft-app.jar");
    /** The dev minter key without its prefix: the part that must never appear in any output. */
    private static final String KEY_DIGITS = DevChain.MINTER_KEY_HEX.substring(2);
    private static Infrastructure infra;

    @TempDir
    Path dir;

    @BeforeAll
    static void startInfrastructure() {
        assertThat(JAR).as("the fat jar is built in the package phase").exists();
        infra = Infrastructure.start();
    }

    @AfterAll
    static void stopInfrastructure() {
        if (infra != null) {
            infra.close();
        }
    }

    private record Run(int exitCode, String output) {
    }

    private Process launch(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process process = launch(env, log, args);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Map<String, String> valid() {
        return new HashMap<>(infra.environment());
    }

    @Test
    void refusesToStartWithoutTheRequiredSettingsNamingEachOne() throws Exception {
        Run run = run(Map.of(), "server");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("DATABASE_URL is required", "BASE_RPC_URL is required",
                "FACTORY_ADDRESS is required", "MINTER_PRIVATE_KEY (or MINTER_PRIVATE_KEY_FILE) is required",
                "APP_DOMAIN is required");
    }

    @Test
    void namesABadMinterKeyWithoutShowingIt() throws Exception {
        Map<String, String> env = valid();
        env.put("MINTER_PRIVATE_KEY", "0x" + KEY_DIGITS.substring(0, 60) + "zzzz");

        Run run = run(env, "worker");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("MINTER_PRIVATE_KEY must be 64 hex digits").doesNotContain(KEY_DIGITS.substring(0, 60));
    }

    @Test
    void refusesDevAuthOutsideDevelopment() throws Exception {
        Map<String, String> env = valid();
        env.put("APP_ENV", "production");

        Run run = run(env, "server");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("ALLOW_DEV_AUTH=true is only allowed with APP_ENV=development");
    }

    @Test
    void refusesAMinterKeyThatIsNotTheDeployerAddress() throws Exception {
        Map<String, String> env = valid();
        env.put("DEPLOYER_ADDRESS", infra.chain.stranger.toString());

        Run run = run(env, "worker");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("DEPLOYER_ADDRESS is " + infra.chain.stranger)
                .contains("MINTER_PRIVATE_KEY signs for " + infra.chain.minter).doesNotContain(KEY_DIGITS);
    }

    @Test
    void refusesAnRpcOfAnotherChain() throws Exception {
        Map<String, String> env = valid();
        env.put("CHAIN_ID", "84532");

        Run run = run(env, "worker");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("CHAIN_ID is 84532").contains("8453").doesNotContain(KEY_DIGITS);
    }

    @Test
    void refusesAnUnknownCommand() throws Exception {
        Run run = run(valid(), "mint-everything");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("unknown command 'mint-everything'", "usage: base-nft <command>");
    }

    @Test
    void aWorkerStopsGracefullyOnSigtermAndExitsZero() throws Exception {
        Path log = dir.resolve("worker.log");
        Process worker = launch(valid(), log, "worker");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("[worker] Distribution worker started")) {
            assertThat(worker.isAlive()).as("worker still running: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("started within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }

        worker.destroy(); // SIGTERM

        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(worker.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("[worker] Shutting down", "[worker] Stopped").doesNotContain(KEY_DIGITS);
        assertThat(output.indexOf("[worker] Shutting down")).isLessThan(output.indexOf("[worker] Stopped"));
    }
}
