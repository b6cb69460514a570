package dev.basenft.adapter.base.rpc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real anvil from the project's npm install, on a free loopback port with chain id 8453 (Base mainnet), stopped by
 * {@link #close()}. Not thread-safe to start or stop; {@link #url()} may be read from any thread.
 */
public final class AnvilProcess implements AutoCloseable {

    public static final long CHAIN_ID = 8453;

    private final Process process;
    private final int port;
    private final Path log;

    private AnvilProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts anvil for chain 8453 with {@code extraArgs} (e.g. {@code --no-mining}) and waits until it answers JSON-RPC. */
    public static AnvilProcess start(String... extraArgs) {
        return start(CHAIN_ID, extraArgs);
    }

    /** Starts anvil for {@code chainId} with {@code extraArgs} and waits until it answers JSON-RPC. */
    public static AnvilProcess start(long chainId, String... extraArgs) {
        Path binary = ContractsToolchain.anvil();
        IllegalStateException last = null;
        // The free port is found by binding and releasing it, so another process may take it first: try again then.
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--chain-id", Long.toString(chainId)));
            command.addAll(List.of(extraArgs));
            try {
                Path log = Files.createTempFile("anvil-" + port + "-", ".log");
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                AnvilProcess anvil = new AnvilProcess(process, port, log);
                try {
                    anvil.awaitReady(Duration.ofSeconds(20));
                    return anvil;
                } catch (IllegalStateException e) {
                    anvil.close();
                    last = e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
        }
        throw last;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The anvil process, for what it costs (the bench reads its CPU time). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    private void awaitReady(Duration timeout) {
        DevRpc probe = new DevRpc(url());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with code " + process.exitValue() + ": " + output());
            }
            try {
                probe.call("eth_chainId");
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("anvil did not answer on " + url() + " within " + timeout + ": "
                            + output(), notYet);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for anvil", e);
            }
        }
    }

    private String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file; the OS cleans up
        }
    }

    /** A loopback port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
