package dev.basenft.torture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One run of the real worker — {@code java -cp <the app's classpath> dev.basenft.app.Main worker} — as a child JVM with the
 * environment an operator would set, its stdout and stderr in {@code <dir>/worker-<n>.log} for log-line checks, and
 * {@link #kill()} as {@code kill -9}: no shutdown hook, no graceful stop, nothing flushed. The classpath is the one Maven
 * wrote to {@code target/worker.classpath} at build time. Not thread-safe.
 */
final class WorkerProcess {

    private static final String MAIN = "dev.basenft.app.Main";

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts worker run number {@code run} with {@code env} (on top of this JVM's environment), logging under {@code dir}. */
    static WorkerProcess start(Map<String, String> env, Path dir, int run) {
        Objects.requireNonNull(env, "env");
        Path log = dir.resolve("worker-" + run + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), MAIN, "worker"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(env);
        // Several workers run at once (and other runs on the same machine): each picks a free management port.
        builder.environment().putIfAbsent("MANAGEMENT_PORT", "0");
        try {
            return new WorkerProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the worker: " + command, e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        Path file = Path.of(System.getProperty("torture.classpathFile", "target/worker.classpath"));
        try {
            String dependencies = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (dependencies.isEmpty()) {
                throw new IllegalStateException(file + " is empty");
            }
            return dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException("no worker classpath at " + file + ": run the tests through Maven, which writes it"
                    + " (maven-dependency-plugin build-classpath)", e);
        }
    }

    /** Waits until the worker logs {@code [worker] Distribution worker started}; fails if it exits or takes too long. */
    WorkerProcess awaitStarted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains("[worker] Distribution worker started")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited with code " + process.exitValue() + " before it started: "
                        + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker did not start within " + timeout + ": " + tail());
            }
            Rig.sleep(Duration.ofMillis(50));
        }
        return this;
    }

    /** {@code kill -9}: the JVM gets SIGKILL and runs nothing more. Waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the worker (pid " + process.pid() + ") survived SIGKILL for 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, the graceful stop; used only to end a scenario. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Everything the worker printed so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The printed lines, in order. */
    List<String> lines() {
        return output().lines().toList();
    }

    /** The last lines, for failure messages. */
    String tail() {
        List<String> lines = lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
