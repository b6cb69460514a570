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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on raw sockets between the worker and anvil's JSON-RPC that breaks things on purpose: while random faults
 * are on, each request gets one with probability {@code rate} — a timeout (held longer than the worker's RPC timeout, then
 * dropped), an HTTP 5xx, an HTTP 429, a connection reset before the node saw it, or, for {@code eth_sendRawTransaction},
 * the worst one: forwarded, accepted by the node, and the answer lost. An outage resets every connection. Two counted
 * modes act on sends: the node accepts a transaction and then drops it from its mempool ({@code anvil_dropTransaction}),
 * or the send is refused as "replacement transaction underpriced".
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
        UNDERPRICED("send refused: replacement underpriced");

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
