package dev.basenft.adapter.base.rpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The project's own npm install in {@code contracts/} (anvil, solc-js, OpenZeppelin), installed with {@code npm ci} from the
 * committed lock file when it is missing, so a fresh clone needs nothing but Node and npm. Thread-safe.
 */
public final class ContractsToolchain {

    private static final Path ROOT = findRoot();
    private static volatile boolean installed;

    private ContractsToolchain() {
    }

    /** The repository root: the first directory upwards from the working directory that holds {@code contracts/package.json}. */
    public static Path root() {
        return ROOT;
    }

    public static Path contractsDir() {
        return ROOT.resolve("contracts");
    }

    /**
     * The anvil binary of the platform package, run directly so that stopping it stops the node itself (the
     * {@code node_modules/.bin/anvil} launcher is a Node script that spawns it); the launcher where no platform package exists.
     */
    public static Path anvil() {
        ensureInstalled();
        String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> "unknown";
        };
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String platform = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : "win32";
        Path binary = contractsDir().resolve("node_modules/@foundry-rs/anvil-" + platform + "-" + arch + "/bin/anvil");
        return Files.isExecutable(binary) ? binary : contractsDir().resolve("node_modules/.bin/anvil");
    }

    /** Runs {@code npm ci} in {@code contracts/} unless anvil, solc and OpenZeppelin are already there. */
    public static void ensureInstalled() {
        if (installed) {
            return;
        }
        synchronized (ContractsToolchain.class) {
            if (installed) {
                return;
            }
            // Another JVM (another module's tests) may be installing at the same moment: serialise on a file lock.
            Path lockFile = Path.of(System.getProperty("java.io.tmpdir"),
                    "base-nft-npm-" + Integer.toHexString(ROOT.toString().hashCode()) + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    if (!complete()) {
                        npmCi();
                    }
                    if (!complete()) {
                        throw new IllegalStateException("npm ci in " + contractsDir() + " finished but anvil, solc or"
                                + " OpenZeppelin is still missing under node_modules");
                    }
                } finally {
                    lock.release();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install the contracts toolchain", e);
            }
            installed = true;
        }
    }

    private static boolean complete() {
        Path modules = contractsDir().resolve("node_modules");
        return Files.exists(modules.resolve(".bin/anvil")) && Files.exists(modules.resolve("solc/package.json"))
                && Files.exists(modules.resolve("@openzeppelin/contracts-upgradeable/package.json"));
    }

    private static void npmCi() throws IOException {
        Path log = ROOT.resolve("adapter-base-rpc/target/npm-ci.log");
        Files.createDirectories(log.getParent());
        Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
                .directory(contractsDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + contractsDir() + " took more than 5 minutes; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            npm.destroyForcibly();
            throw new IllegalStateException("interrupted during npm ci", e);
        }
        if (npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + contractsDir() + " failed with exit code " + npm.exitValue()
                    + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    /** Runs {@code node} with {@code args} in {@code dir}; returns exit code and combined output. */
    public static ProcessResult node(Path dir, List<String> args) {
        ensureInstalled();
        try {
            List<String> command = new java.util.ArrayList<>();
            command.add("node");
            command.addAll(args);
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("node " + args + " did not finish within 2 minutes");
            }
            return new ProcessResult(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node " + args, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running node " + args, e);
        }
    }

    /** What a finished process left behind. */
    public record ProcessResult(int exitCode, String output) {
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.exists(candidate.resolve("contracts/package.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no contracts/package.json above " + dir);
    }
}
