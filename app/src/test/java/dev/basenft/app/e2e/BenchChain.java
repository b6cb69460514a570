package dev.basenft.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.core.model.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The benchmark's own view of the chain: JSON-RPC batches (so that checking 50,000 recipients on chain takes seconds, not
 * minutes), the blocks a run's transactions landed in, and a watcher that notes when each block was first seen, so that
 * "distribute to mined" is timed in milliseconds rather than in whole-second block timestamps. Never goes through the
 * adapter under test. Thread-safe.
 */
final class BenchChain {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Calls per JSON-RPC batch: large enough to make verification cheap, small enough for anvil's body limit. */
    private static final int BATCH = 400;

    private final URI url;

    BenchChain(URI url) {
        this.url = url;
    }

    /** One block as far as the figures need it. */
    record Block(long number, long gasUsed, long gasLimit, long timestamp, String baseFeePerGas) {

        double fill() {
            return (double) gasUsed / gasLimit;
        }
    }

    /** The receipt fields the figures need. */
    record Receipt(String hash, long blockNumber, long gasUsed, boolean success) {
    }

    JsonNode call(String method, Object... params) {
        return batch(method, List.<List<Object>>of(List.of(params))).getFirst();
    }

    /** Calls {@code method} once per parameter list, in JSON-RPC batches; results in the same order; fails on an error. */
    List<JsonNode> batch(String method, List<List<Object>> paramsList) {
        List<JsonNode> answers = answers(method, paramsList);
        for (JsonNode one : answers) {
            if (one.hasNonNull("error")) {
                throw new IllegalStateException(method + ": " + one.get("error"));
            }
        }
        return answers.stream().map(a -> a.get("result")).toList();
    }

    /** The whole answers ({@code result} or {@code error}) of {@code method} per parameter list, in the same order. */
    private List<JsonNode> answers(String method, List<List<Object>> paramsList) {
        List<JsonNode> out = new ArrayList<>(paramsList.size());
        for (int from = 0; from < paramsList.size(); from += BATCH) {
            List<List<Object>> chunk = paramsList.subList(from, Math.min(paramsList.size(), from + BATCH));
            ArrayNode request = JSON.createArrayNode();
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode one = request.addObject();
                one.put("jsonrpc", "2.0");
                one.put("id", i);
                one.put("method", method);
                one.set("params", JSON.valueToTree(chunk.get(i)));
            }
            JsonNode answer = post(request.toString());
            JsonNode[] byId = new JsonNode[chunk.size()];
            if (!answer.isArray()) {
                throw new IllegalStateException(method + ": " + answer);
            }
            for (JsonNode one : answer) {
                byId[one.get("id").asInt()] = one;
            }
            out.addAll(List.of(byId));
        }
        return out;
    }

    private JsonNode post(String body) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("JSON-RPC to " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long blockNumber() {
        return quantity(call("eth_blockNumber"));
    }

    Block block(long number) {
        return blocks(number, number).getFirst();
    }

    /** Blocks {@code from} to {@code to}, both included. */
    List<Block> blocks(long from, long to) {
        List<List<Object>> params = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            params.add(List.of("0x" + Long.toHexString(n), false));
        }
        return batch("eth_getBlockByNumber", params).stream().map(b -> new Block(quantity(b.get("number")),
                quantity(b.get("gasUsed")), quantity(b.get("gasLimit")), quantity(b.get("timestamp")),
                b.path("baseFeePerGas").asText("0x0"))).toList();
    }

    /** The receipts of {@code hashes}, in order; fails if one is missing (every caller waits for them to be mined). */
    List<Receipt> receipts(List<String> hashes) {
        List<List<Object>> params = hashes.stream().map(h -> List.<Object>of(h)).toList();
        List<JsonNode> answers = batch("eth_getTransactionReceipt", params);
        List<Receipt> out = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            JsonNode r = answers.get(i);
            if (r == null || r.isNull()) {
                throw new IllegalStateException("no receipt for " + hashes.get(i));
            }
            out.add(new Receipt(hashes.get(i), quantity(r.get("blockNumber")), quantity(r.get("gasUsed")),
                    "0x1".equals(r.path("status").asText())));
        }
        return out;
    }

    /**
     * Every recipient holds exactly one token of {@code collection}, the one {@code tokenIds} says, and the collection holds
     * no other: balanceOf = 1 and ownerOf(token id) = the recipient for each, totalSupply = their number.
     *
     * @return the problems found, empty when every recipient checks out
     */
    List<String> verify(Address collection, Map<Address, BigInteger> tokenIds) {
        List<Address> owners = new ArrayList<>(tokenIds.keySet());
        List<List<Object>> balanceCalls = new ArrayList<>();
        List<List<Object>> ownerCalls = new ArrayList<>();
        for (Address owner : owners) {
            balanceCalls.add(List.of(callObject(collection, Calls.encode("balanceOf", Calls.address(owner))), "latest"));
            ownerCalls.add(List.of(callObject(collection, Calls.encode("ownerOf",
                    new org.web3j.abi.datatypes.generated.Uint256(tokenIds.get(owner)))), "latest"));
        }
        List<JsonNode> balances = batch("eth_call", balanceCalls);
        List<JsonNode> ownersOnChain = answers("eth_call", ownerCalls);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < owners.size(); i++) {
            BigInteger balance = Calls.decodeUint(balances.get(i).asText());
            if (!balance.equals(BigInteger.ONE)) {
                problems.add(owners.get(i) + " holds " + balance + " tokens");
            }
            JsonNode answer = ownersOnChain.get(i);
            if (answer.hasNonNull("error")) {
                // ownerOf reverts for a token nobody holds
                problems.add("token " + tokenIds.get(owners.get(i)) + " of " + owners.get(i) + " has no owner: "
                        + answer.get("error").path("message").asText());
                continue;
            }
            String word = answer.get("result").asText();
            Address owner = Address.parse("0x" + word.substring(word.length() - 40));
            if (!owner.equals(owners.get(i))) {
                problems.add("token " + tokenIds.get(owners.get(i)) + " is owned by " + owner + ", not " + owners.get(i));
            }
        }
        BigInteger supply = totalSupply(collection);
        if (supply.longValueExact() != owners.size()) {
            problems.add("totalSupply is " + supply + " for " + owners.size() + " recipients");
        }
        return problems;
    }

    /** The collection's {@code totalSupply()} at the latest block. */
    BigInteger totalSupply(Address collection) {
        return Calls.decodeUint(call("eth_call", callObject(collection, Calls.encode("totalSupply")), "latest").asText());
    }

    private static Map<String, String> callObject(Address to, String data) {
        Map<String, String> call = new HashMap<>();
        call.put("to", to.lowerCase());
        call.put("data", data);
        return call;
    }

    static long quantity(JsonNode hex) {
        return new BigInteger(hex.asText().substring(2), 16).longValueExact();
    }

    /**
     * Polls the head every few milliseconds and notes when each block number was first seen (a jump of several blocks
     * stamps them all with the same instant). Start it before the run, close it after the last block of the run was seen.
     */
    final class BlockWatcher implements AutoCloseable {

        private final Map<Long, Long> seenAtNanos = new ConcurrentHashMap<>();
        /**
         * Each transaction's block, read as the blocks come: a node that keeps only its last blocks' transactions
         * ({@code --transaction-block-keeper}) no longer has the receipts of the first ones when the run ends.
         */
        private final Map<String, Long> blockOfTransaction = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile long head;

        BlockWatcher() {
            head = blockNumber();
            thread = Thread.ofPlatform().daemon().name("bench-block-watcher").start(this::watch);
        }

        private void watch() {
            while (running.get()) {
                try {
                    long now = blockNumber();
                    long at = System.nanoTime();
                    for (long n = head + 1; n <= now; n++) {
                        seenAtNanos.putIfAbsent(n, at);
                    }
                    for (long n = head + 1; n <= now; n++) {
                        for (JsonNode tx : call("eth_getBlockByNumber", "0x" + Long.toHexString(n), false)
                                .path("transactions")) {
                            blockOfTransaction.put(tx.asText().toLowerCase(java.util.Locale.ROOT), n);
                        }
                        head = n;
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a missed poll only makes the next one stamp more blocks; the chain is there, the run goes on
                }
            }
        }

        /** The lowest block holding one of {@code hashes}, as seen while watching; empty when none was seen. */
        java.util.OptionalLong firstBlockOf(java.util.Collection<String> hashes) {
            return hashes.stream().map(h -> blockOfTransaction.get(h.toLowerCase(java.util.Locale.ROOT)))
                    .filter(java.util.Objects::nonNull).mapToLong(Long::longValue).min();
        }

        /** The block {@code hash} was seen in while watching; empty when it was not seen. */
        java.util.OptionalLong blockOf(String hash) {
            Long block = blockOfTransaction.get(hash.toLowerCase(java.util.Locale.ROOT));
            return block == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(block);
        }

        /** When block {@code number} was first seen, in {@link System#nanoTime()}; waits up to 30 s for it. */
        long seenAt(long number) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!seenAtNanos.containsKey(number)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("block " + number + " was not seen within 30 s");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return seenAtNanos.get(number);
        }

        @Override
        public void close() {
            running.set(false);
            thread.interrupt();
        }
    }
}
