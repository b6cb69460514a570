package dev.basenft.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import org.web3j.crypto.Hash;

/**
 * An HTTP proxy on raw sockets between the worker and anvil's JSON-RPC that breaks things on purpose: while random faults
 * are on, each request gets one with probability {@code rate} — a timeout (held longer than the worker's RPC timeout, then
 * dropped), an HTTP 5xx, an HTTP 429, a connection reset before the node saw it, or, for {@code eth_sendRawTransaction},
 * the worst one: forwarded, accepted by the node, and the answer lost. An outage resets every connection. Two counted
 * modes act on sends: the node accepts a transaction and then drops it from its mempool ({@code anvil_dropTransaction}),
 * or the send is refused as "replacement transaction underpriced". Three modes of issue 17: an unknown fate (reads answered
 * with JSON-RPC errors, sends' answers lost), swallowed sends (a nonce gap) and a lagging view of the chain (a failover
 * node k blocks behind).
 *
 * <p>Raw sockets because an HTTP server library cannot reset a connection or vanish mid-request. One request per
 * connection ({@code Connection: close}). Random choices come from the run's seed. Thread-safe.
 */
final class ChaosProxy implements AutoCloseable {

    /** What the proxy did to a request instead of (or after) forwarding it. */
    enum Fault {
        TIMEOUT("timeout"),
        HTTP_5XX("HTTP 5xx"),
        HTTP_429("HTTP 429"),
        RESET("connection reset"),
        LOST_AFTER_SEND("response lost after the node accepted the tx"),
        OUTAGE("outage (connection reset)"),
        DROPPED("tx dropped from the mempool after acceptance"),
        UNDERPRICED("send refused: replacement underpriced"),
        READ_ERROR("read answered with a JSON-RPC error (header not found)"),
        SEND_ANSWER_DROPPED("send reached the node, its answer timed out"),
        SWALLOWED("send swallowed: answered with its hash, never forwarded"),
        LAGGING_READ("read answered as of head - k");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEND_RAW = "eth_sendRawTransaction";

    private final URI upstream;
    private final DevRpc node;
    private final Duration hold;
    private final Random random;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final AtomicInteger dropNextSends = new AtomicInteger();
    private final AtomicInteger refuseNextSends = new AtomicInteger();
    private final java.util.Queue<Fault> forced = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger forcedLostSends = new AtomicInteger();
    private final AtomicInteger swallowNextSends = new AtomicInteger();
    private final AtomicInteger loseNextSendAnswers = new AtomicInteger();
    private final Set<String> swallowed = ConcurrentHashMap.newKeySet();
    private volatile boolean unknownFate;
    private volatile int lagBlocks;
    private volatile double rate;
    private volatile boolean outage;
    private volatile boolean open = true;

    /**
     * @param upstream the node's JSON-RPC URL
     * @param hold how long a "timeout" holds a request before dropping it; longer than the client's RPC timeout
     * @param random the run's seeded random source
     */
    ChaosProxy(URI upstream, Duration hold, Random random) throws IOException {
        this.upstream = upstream;
        this.node = new DevRpc(upstream);
        this.hold = hold;
        this.random = random;
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicInteger());
        }
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Random faults on each request with probability {@code rate}; 0 turns them off. */
    void randomFaults(double rate) {
        this.rate = rate;
    }

    /**
     * The next requests get these faults, one each, before any random one: a short run then surely sees every kind, however
     * few requests it makes. {@link Fault#LOST_AFTER_SEND} waits for the next {@code eth_sendRawTransaction}.
     */
    void forceNext(List<Fault> faults) {
        for (Fault fault : faults) {
            switch (fault) {
                case LOST_AFTER_SEND -> forcedLostSends.incrementAndGet();
                case TIMEOUT, HTTP_5XX, HTTP_429, RESET -> forced.add(fault);
                default -> throw new IllegalArgumentException("not a per-request fault: " + fault);
            }
        }
    }

    /** While on, every connection is reset before the node sees the request: the chain is unreachable. */
    void outage(boolean on) {
        this.outage = on;
    }

    /** The next {@code count} transactions the node accepts are dropped from its mempool right after. */
    void dropNextSends(int count) {
        dropNextSends.addAndGet(count);
    }

    /** The next {@code count} sends are refused with "replacement transaction underpriced". */
    void refuseNextSends(int count) {
        refuseNextSends.addAndGet(count);
    }

    /**
     * While on, the node seems to know nothing and to swallow answers: every read but {@code eth_chainId} is answered with
     * the JSON-RPC error {@code -32000 header not found} (what a load-balanced provider answers from a node behind the
     * head), and every {@code eth_sendRawTransaction} reaches the node but its answer is held past the client's timeout and
     * then dropped. The worker cannot tell whether its transaction landed: an unknown fate.
     */
    void unknownFate(boolean on) {
        this.unknownFate = on;
    }

    /**
     * The next {@code count} sends reach the node and their answers are lost as in {@link #unknownFate}: armed as a burst of
     * read errors ends, they hit the batches that spent their attempts on it, on their way out.
     */
    void loseNextSendAnswers(int count) {
        loseNextSendAnswers.addAndGet(count);
    }

    /**
     * The next {@code count} transactions sent (raw transactions not seen before) are swallowed: answered with their own
     * hash as if accepted, never forwarded — and every later send of the same raw bytes is swallowed again, so their nonce
     * never reaches the node and every later nonce waits behind the gap. A different raw transaction on the same nonce (a
     * replacement, a filler) is forwarded.
     */
    void swallowNextSends(int count) {
        swallowNextSends.addAndGet(count);
    }

    /**
     * Makes this proxy a view of the chain {@code blocks} behind its head, as a lagging node is: {@code eth_blockNumber}
     * answers head - k, reads at "latest"/"pending" (or without a block) are asked at head - k, a receipt or a transaction's
     * block in the last k blocks is not known yet (receipt null, transaction pending), {@code eth_getLogs} stops at head - k.
     * Sends are forwarded. 0 turns it off.
     */
    void lagBehind(int blocks) {
        this.lagBlocks = blocks;
    }

    /** Distinct raw transactions swallowed so far (each may have been sent, and swallowed, several times). */
    int swallowedTransactions() {
        return swallowed.size();
    }

    int injected(Fault fault) {
        return injected.get(fault).get();
    }

    /** Counts by fault, in declaration order. */
    Map<Fault, Integer> injected() {
        Map<Fault, Integer> out = new EnumMap<>(Fault.class);
        injected.forEach((fault, count) -> out.put(fault, count.get()));
        return out;
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket socket = server.accept();
                threads.submit(() -> handle(socket));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            byte[] body = readRequestBody(socket.getInputStream());
            if (body == null) {
                return;
            }
            JsonNode request = JSON.readTree(body);
            String method = request.path("method").asText("(batch)");
            OutputStream out = socket.getOutputStream();
            if (outage) {
                count(Fault.OUTAGE);
                reset(socket);
                return;
            }
            if ("eth_sendRawTransactionSync".equals(method)) {
                // The chaos below is built around the plain send's answer (a hash); a node without the sync method makes
                // the worker remember that and send every transaction through it.
                ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
                answer.set("id", request.get("id"));
                answer.putObject("error").put("code", -32601)
                        .put("message", "the method eth_sendRawTransactionSync does not exist/is not available");
                respond(out, 200, answer.toString());
                return;
            }
            if (SEND_RAW.equals(method) && swallow(request)) {
                count(Fault.SWALLOWED);
                ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
                answer.set("id", request.get("id"));
                answer.put("result", Hash.sha3(request.path("params").path(0).asText()));
                respond(out, 200, answer.toString());
                return;
            }
            if (unknownFate && !"eth_chainId".equals(method) || SEND_RAW.equals(method) && take(loseNextSendAnswers)) {
                if (SEND_RAW.equals(method)) {
                    count(Fault.SEND_ANSWER_DROPPED);
                    forward(body);
                    Thread.sleep(hold); // then closed unanswered: the client timed out long ago
                } else {
                    count(Fault.READ_ERROR);
                    ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
                    answer.set("id", request.get("id"));
                    answer.putObject("error").put("code", -32000).put("message", "header not found");
                    respond(out, 200, answer.toString());
                }
                return;
            }
            int lag = lagBlocks;
            if (lag > 0 && !SEND_RAW.equals(method)) {
                String answer = lagging(request, method, lag);
                if (answer != null) {
                    count(Fault.LAGGING_READ);
                    respond(out, 200, answer);
                    return;
                }
            }
            if (SEND_RAW.equals(method) && take(refuseNextSends)) {
                count(Fault.UNDERPRICED);
                ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
                answer.set("id", request.get("id"));
                answer.putObject("error").put("code", -32000).put("message", "replacement transaction underpriced");
                respond(out, 200, answer.toString());
                return;
            }
            if (SEND_RAW.equals(method) && dropNextSends.get() > 0) {
                String answer = forward(body);
                JsonNode result = JSON.readTree(answer).get("result");
                if (result != null && result.isTextual() && take(dropNextSends)) {
                    node.call("anvil_dropTransaction", result.asText());
                    count(Fault.DROPPED);
                }
                respond(out, 200, answer);
                return;
            }
            Fault fault = pick(method);
            if (fault == null) {
                respond(out, 200, forward(body));
                return;
            }
            count(fault);
            switch (fault) {
                case TIMEOUT -> Thread.sleep(hold); // then closed unanswered; the client gave up long ago
                case HTTP_5XX -> respond(out, random(2) == 0 ? 502 : 503, "{\"error\":\"upstream unavailable\"}");
                case HTTP_429 -> respond(out, 429, "{\"error\":\"rate limited\"}");
                case RESET -> reset(socket);
                case LOST_AFTER_SEND -> {
                    forward(body);
                    reset(socket);
                }
                default -> throw new IllegalStateException("not a random fault: " + fault);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The client went away, or the node did; the client sees a broken call, which is what it must survive.
        }
    }

    /** Whether this send is swallowed: its raw bytes were swallowed before, or it is new and a swallow is due. */
    private boolean swallow(JsonNode request) {
        String raw = request.path("params").path(0).asText("").toLowerCase(Locale.ROOT);
        if (raw.isEmpty()) {
            return false;
        }
        if (swallowed.contains(raw)) {
            return true;
        }
        if (take(swallowNextSends)) {
            swallowed.add(raw);
            return true;
        }
        return false;
    }

    /**
     * The answer of a node {@code lag} blocks behind, or null to forward the request as it is. Reads are asked of the real
     * node at the lagging head; what was mined after it is hidden.
     */
    private String lagging(JsonNode request, String method, int lag) throws IOException, InterruptedException {
        long view = Math.max(0, node.blockNumber() - lag);
        String viewTag = "0x" + Long.toHexString(view);
        ObjectNode rewritten = request.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode params = rewritten.withArray("params");
        switch (method) {
            case "eth_blockNumber" -> {
                return result(request, JSON.getNodeFactory().textNode(viewTag));
            }
            case "eth_getTransactionReceipt" -> {
                JsonNode answer = JSON.readTree(forward(body(rewritten)));
                JsonNode receipt = answer.get("result");
                if (receipt != null && receipt.isObject() && DevRpc.quantity(receipt.get("blockNumber")) > view) {
                    return result(request, JSON.nullNode());
                }
                return answer.toString();
            }
            case "eth_getTransactionByHash" -> {
                JsonNode answer = JSON.readTree(forward(body(rewritten)));
                JsonNode tx = answer.get("result");
                if (tx != null && tx.isObject() && tx.hasNonNull("blockNumber")
                        && DevRpc.quantity(tx.get("blockNumber")) > view) {
                    ObjectNode pending = tx.deepCopy();
                    pending.putNull("blockHash");
                    pending.putNull("blockNumber");
                    pending.putNull("transactionIndex");
                    return result(request, pending);
                }
                return answer.toString();
            }
            case "eth_getBlockByNumber" -> {
                JsonNode tag = params.path(0);
                if (tag.isTextual() && tag.asText().startsWith("0x") && DevRpc.quantity(tag) > view) {
                    return result(request, JSON.nullNode());
                }
                params.set(0, JSON.getNodeFactory().textNode(asView(tag, view)));
                return forward(body(rewritten));
            }
            case "eth_getTransactionCount", "eth_getBalance", "eth_getCode", "eth_call", "eth_estimateGas" -> {
                // Each of these takes the block as its second parameter.
                if (params.size() < 2) {
                    params.add(viewTag);
                } else {
                    params.set(1, JSON.getNodeFactory().textNode(asView(params.get(1), view)));
                }
                return forward(body(rewritten));
            }
            case "eth_getLogs" -> {
                ObjectNode filter = (ObjectNode) params.get(0);
                if (filter.has("fromBlock") && filter.get("fromBlock").asText().startsWith("0x")
                        && DevRpc.quantity(filter.get("fromBlock")) > view) {
                    return result(request, JSON.createArrayNode());
                }
                JsonNode to = filter.get("toBlock");
                if (to == null || !to.asText().startsWith("0x") || DevRpc.quantity(to) > view) {
                    filter.put("toBlock", viewTag);
                }
                return forward(body(rewritten));
            }
            default -> {
                return null;
            }
        }
    }

    /** A block tag as the lagging node reads it: a named head ("latest", "pending", …) or a later block is its own head. */
    private static String asView(JsonNode tag, long view) {
        if (tag == null || !tag.isTextual() || !tag.asText().startsWith("0x") || DevRpc.quantity(tag) > view) {
            return "0x" + Long.toHexString(view);
        }
        return tag.asText();
    }

    private static String result(JsonNode request, JsonNode result) {
        ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", request.get("id"));
        answer.set("result", result);
        return answer.toString();
    }

    private static byte[] body(JsonNode request) {
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Fault pick(String method) {
        if (SEND_RAW.equals(method) && take(forcedLostSends)) {
            return Fault.LOST_AFTER_SEND;
        }
        Fault next = forced.poll();
        if (next != null) {
            return next;
        }
        double current = rate;
        if (current <= 0) {
            return null;
        }
        synchronized (random) {
            if (random.nextDouble() >= current) {
                return null;
            }
            if (SEND_RAW.equals(method) && random.nextBoolean()) {
                return Fault.LOST_AFTER_SEND;
            }
            return switch (random.nextInt(4)) {
                case 0 -> Fault.TIMEOUT;
                case 1 -> Fault.HTTP_5XX;
                case 2 -> Fault.HTTP_429;
                default -> Fault.RESET;
            };
        }
    }

    private int random(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    private static boolean take(AtomicInteger budget) {
        return budget.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private void count(Fault fault) {
        injected.get(fault).incrementAndGet();
    }

    private String forward(byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(upstream).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** Closes with SO_LINGER 0: the client gets a TCP reset, not a polite end of stream. */
    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Chaos") + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** One request's body after its headers; null when the client closed first. */
    private static byte[] readRequestBody(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        byte[] end = {'\r', '\n', '\r', '\n'};
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            headers.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : headers.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        return in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        threads.shutdownNow();
        client.close();
    }
}
