package dev.basenft.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the console's browser scenarios ({@code src/test/browser/*.mjs}): Node with playwright-core driving the
 * system's Chromium ({@code /usr/bin/chromium}, or {@code CHROMIUM}) against the {@link ConsoleStack}. The first run
 * installs playwright-core and axe-core there with {@code npm ci} from the committed lock file. The scenario's output is
 * kept in {@code target/browser/<name>.log}, its screenshots in {@code target/screenshots/}.
 */
final class BrowserScript {

    static final Path DIR = Path.of("src/test/browser").toAbsolutePath();
    static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
    private static final Path LOGS = Path.of("target/browser").toAbsolutePath();

    private BrowserScript() {
    }

    /**
     * Runs {@code name}.mjs to its end and asserts it passed; the assertion message carries its whole output.
     *
     * @param extra more environment for the script; never null
     * @return the script's output
     */
    static String run(String name, Map<String, String> extra) {
        installOnce();
        ConsoleStack stack = ConsoleStack.shared();
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + ".log");
            ProcessBuilder node = new ProcessBuilder(List.of("node", name + ".mjs")).directory(DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            node.environment().put("CONSOLE_URL", stack.console.toString());
            node.environment().put("RPC_URL", stack.rpc.toString());
            node.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toString());
            node.environment().putAll(extra);
            Process process = node.start();
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("%s finished within 5 minutes; output:%n%s", name, output).isTrue();
            assertThat(process.exitValue()).as("%s exit code; output:%n%s", name, output).isZero();
            assertThat(output).as("%s output", name).contains("PASS");
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void installOnce() {
        if (Files.isDirectory(DIR.resolve("node_modules/playwright-core"))
                && Files.isDirectory(DIR.resolve("node_modules/axe-core"))) {
            return;
        }
        try {
            // Nothing inherited: this JVM's stdin and stdout are surefire's channel to Maven, and node turns an inherited
            // stdin non-blocking, which broke that channel ("std/in stream corrupted") in a fresh-clone CI run.
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve("npm-ci.log");
            Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund")).directory(DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            npm.getOutputStream().close();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + DIR + " failed (output in " + log + "); the browser tests "
                        + "need playwright-core and axe-core from the npm registry");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run npm (Node 20+ is needed for the browser tests)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
