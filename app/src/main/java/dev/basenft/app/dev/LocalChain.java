package dev.basenft.app.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basenft.adapter.base.rpc.ContractArtifact;
import dev.basenft.core.model.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A local anvil chain from the project's own npm install ({@code contracts/node_modules}, installed with {@code npm ci} when
 * missing) with our contracts on it: the collection implementation and the factory, deployed from anvil's dev account 0,
 * with the factory granting MINTER_ROLE to dev account 1, whose key the dev worker signs with. anvil funds every dev account
 * with 10,000 ETH at genesis, so the dev minter is funded. The dev keys are published by Foundry and worthless anywhere but on
 * a local chain. Not thread-safe.
 */
final class LocalChain implements AutoCloseable {

    /** anvil's dev account 1: the dev minter. Public knowledge; holds nothing on any real chain. */
    static final String MINTER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    /** The chain id anvil reports by default; not Base's, so a wallet never confuses the two. */
    static final long CHAIN_ID = 31337;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final URI url;
    private final Path log;
    final Address deployer;
    final Address minter;
    final Address creator;
    Address implementation;
    Address factory;

    private LocalChain(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
        List<Address> accounts = new ArrayList<>();
        call("eth_accounts").forEach(a -> accounts.add(Address.parse(a.asText())));
        this.deployer = accounts.get(0);
        this.minter = accounts.get(1);
        this.creator = accounts.get(2);
    }

    /**
     * Starts anvil on {@code port} (a free one when it is taken) mining a block every {@code blockTimeSeconds} (0: one per
     * transaction) and deploys the contracts.
     */
    static LocalChain start(Path projectRoot, int port, int blockTimeSeconds) {
        Path anvil = Toolchain.anvil(projectRoot);
        int chosen = isFree(port) ? port : freePort();
        List<String> command = new ArrayList<>(List.of(anvil.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(chosen), "--chain-id", Long.toString(CHAIN_ID)));
        if (blockTimeSeconds > 0) {
            command.addAll(List.of("--block-time", Integer.toString(blockTimeSeconds)));
        }
        try {
            Path log = Files.createTempFile("base-nft-anvil-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI url = URI.create("http://127.0.0.1:" + chosen);
            awaitReady(process, url, log);
            LocalChain chain = new LocalChain(process, url, log);
            try {
                chain.deployContracts();
            } catch (RuntimeException e) {
                chain.close();
                throw e;
            }
            return chain;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start anvil (" + anvil + ")", e);
        }
    }

    URI url() {
        return url;
    }

    private void deployContracts() {
        implementation = deploy(ContractArtifact.collection().bytecode());
        // BaseNftFactory(address implementation, address minter): each argument one left-padded 32-byte word.
        factory = deploy(ContractArtifact.factory().bytecode() + word(implementation) + word(minter));
    }

    private Address deploy(String creationCode) {
        ObjectNode tx = JSON.createObjectNode();
        tx.put("from", deployer.lowerCase());
        tx.put("data", creationCode.startsWith("0x") ? creationCode : "0x" + creationCode);
        String hash = call("eth_sendTransaction", tx).asText();
        JsonNode receipt = awaitReceipt(hash);
        if (!"0x1".equals(receipt.path("status").asText())) {
            throw new IllegalStateException("deploying a contract on the local chain reverted: " + receipt);
        }
        return Address.parse(receipt.get("contractAddress").asText());
    }

    private JsonNode awaitReceipt(String hash) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode receipt = call("eth_getTransactionReceipt", hash);
            if (receipt != null && !receipt.isNull()) {
                return receipt;
            }
            sleep(100);
        }
        throw new IllegalStateException("no receipt for " + hash + " on the local chain within 60 s");
    }

    private static String word(Address address) {
        return "0".repeat(24) + address.lowerCase().substring(2);
    }

    private JsonNode call(String method, Object... params) {
        return call(url, method, params);
    }

    private static JsonNode call(URI url, String method, Object... params) {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", 1);
        request.put("method", method);
        request.set("params", JSON.valueToTree(List.of(params)));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (body.hasNonNull("error")) {
                throw new IllegalStateException(method + " on the local chain failed: " + body.get("error"));
            }
            return body.get("result");
        } catch (IOException e) {
            throw new UncheckedIOException(method + " on the local chain failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void awaitReady(Process process, URI url, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with code " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                call(url, "eth_chainId");
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("anvil did not answer on " + url + " within 30 s: " + Files.readString(log));
                }
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    @Override
    public String toString() {
        return "LocalChain[" + url + ", chain " + CHAIN_ID + ", factory " + factory + "]";
    }

    /** The platform name npm's anvil packages use, e.g. {@code linux-amd64}. */
    static String platform() {
        String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> "unknown";
        };
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return (os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : "win32") + "-" + arch;
    }
}
