package dev.basenft.adapter.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real npm {@code bullmq} through {@code src/test/node/interop.mjs}. The first use runs {@code npm ci} there when
 * {@code node_modules} is missing, so a fresh machine installs exactly the locked versions. Thread-safe.
 */
final class NodeBullmq {

    static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

    private final RedisQueueSettings settings;
    private final String major;

    /** @param major "6" for bullmq 6.x, "5" for 5.x */
    NodeBullmq(RedisQueueSettings settings, String major) {
        this.settings = settings;
        this.major = major;
    }

    static synchronized void install() {
        if (Files.isDirectory(DIR.resolve("node_modules").resolve("bullmq"))
                && Files.isDirectory(DIR.resolve("node_modules").resolve("bullmq5"))) {
            return;
        }
        try {
            // stdin not shared: node would turn this JVM's (surefire's channel) non-blocking.
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            npm.getOutputStream().close();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed in " + DIR);
            }
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed for the bullmq interop tests (Node 20+)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci", e);
        }
    }

    /** Runs a command to its end and returns its output lines. */
    List<String> run(String command, String jsonArgs) throws IOException, InterruptedException {
        Running running = start(command, jsonArgs);
        return running.await(60);
    }

    /** Starts a command; its output lines collect as it runs. */
    Running start(String command, String jsonArgs) throws IOException {
        install();
        ProcessBuilder builder = new ProcessBuilder("node", "interop.mjs", command, jsonArgs).directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        env.put("REDIS_HOST", settings.host());
        env.put("REDIS_PORT", Integer.toString(settings.port()));
        env.put("REDIS_DB", Integer.toString(settings.database()));
        env.put("REDIS_PASSWORD", settings.password());
        env.put("BULL_PREFIX", settings.prefix());
        env.put("QUEUE_NAME", settings.queueName());
        env.put("BULLMQ", major);
        return new Running(builder.start());
    }

    /** A running node command. */
    static final class Running {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Running(Process process) {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("{\"event\":\"reader-error\"}");
                }
            });
        }

        /** The lines so far. */
        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        /** Waits until a line contains {@code text}, up to {@code seconds}. */
        boolean awaitLine(String text, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (lines().stream().anyMatch(l -> l.contains(text))) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        }

        /** Waits for the command to exit 0 and returns all its lines. */
        List<String> await(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("node did not finish in " + seconds + " s; output: " + lines());
            }
            reader.join(5000);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("node exited " + process.exitValue() + "; output: " + lines());
            }
            return lines();
        }
    }

    /** The string field {@code name} of a JSON line, or null. */
    static String field(String line, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    /** The number field {@code name} of a JSON line, or -1. */
    static long number(String line, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
