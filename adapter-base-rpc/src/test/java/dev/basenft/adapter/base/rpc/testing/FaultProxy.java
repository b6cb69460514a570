package dev.basenft.adapter.base.rpc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1 proxy on loopback in front of a JSON-RPC node that injects faults into chosen calls: an HTTP status
 * instead of an answer, a delay longer than the client's timeout, a JSON-RPC error, or — the nasty one — forwarding the
 * request to the node and then closing the connection without a response (the node acted, the client never hears).
 *
 * <p>Written on plain sockets because the JDK's HttpServer cannot drop a connection without answering. One request per
 * connection ({@code Connection: close}). Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do to a matching request. */
    public sealed interface Fault {
        /** Answer with this HTTP status and body; the node never sees the request. */
        record Status(int status, String body) implements Fault {
        }

        /** Wait, then forward: the client's timeout fires first. */
        record Delay(Duration delay) implements Fault {
        }

        /** Forward to the node, then close the connection without a response. */
        record LoseResponse() implements Fault {
        }

        /** Answer HTTP 200 with this JSON-RPC error; the node never sees the request. */
        record RpcError(int code, String message) implements Fault {
        }

        /** Forward to the node, then answer with what {@code answer} makes of the node's response (a node that differs). */
        record Rewrite(java.util.function.UnaryOperator<ObjectNode> answer) implements Fault {
        }
    }

    private record Rule(Predicate<JsonNode> matches, AtomicInteger remaining, Fault fault) {
    }

    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Rule> rules = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> faulted = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    public FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next {@code times} requests for {@code method} (null: any method) get {@code fault}. */
    public FaultProxy inject(String method, int times, Fault fault) {
        return injectWhen(request -> method == null || method.equals(request.path("method").asText()), times, fault);
    }

    /** The next {@code times} requests matching {@code matches} get {@code fault}. */
    public FaultProxy injectWhen(Predicate<JsonNode> matches, int times, Fault fault) {
        rules.add(new Rule(matches, new AtomicInteger(times), fault));
        return this;
    }

    /** Forgets all rules and counts. */
    public void reset() {
        rules.clear();
        seen.clear();
        faulted.clear();
    }

    /** How many requests for {@code method} reached the proxy. */
    public int requests(String method) {
        AtomicInteger count = seen.get(method);
        return count == null ? 0 : count.get();
    }

    /** How many requests for {@code method} got a fault. */
    public int faults(String method) {
        AtomicInteger count = faulted.get(method);
        return count == null ? 0 : count.get();
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket socket = server.accept();
                threads.submit(() -> handle(socket));
            } catch (IOException e) {
                if (open) {
                    continue;
                }
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            byte[] body = readRequestBody(in);
            if (body == null) {
                return;
            }
            JsonNode request = JSON.readTree(body);
            String method = request.path("method").asText("(batch)");
            seen.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            Fault fault = nextFault(request);
            if (fault != null) {
                faulted.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            }
            OutputStream out = socket.getOutputStream();
            switch (fault) {
                case Fault.Status status -> respond(out, status.status(), status.body());
                case Fault.RpcError error -> {
                    ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
                    answer.set("id", request.get("id"));
                    answer.putObject("error").put("code", error.code()).put("message", error.message());
                    respond(out, 200, answer.toString());
                }
                case Fault.Delay delay -> {
                    Thread.sleep(delay.delay());
                    respond(out, 200, forward(body));
                }
                case Fault.Rewrite rewrite -> respond(out, 200,
                        rewrite.answer().apply((ObjectNode) JSON.readTree(forward(body))).toString());
                case Fault.LoseResponse lose -> {
                    forward(body);
                    socket.setSoLinger(true, 0); // reset, not a polite close: like a dropped connection
                }
                case null -> respond(out, 200, forward(body));
            }
        } catch (IOException | InterruptedException e) {
            // the client went away (e.g. its timeout fired); nothing to answer
        }
    }

    private Fault nextFault(JsonNode request) {
        for (Rule rule : rules) {
            if (rule.matches().test(request) && rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return rule.fault();
            }
        }
        return null;
    }

    private String forward(byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(upstream)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Fault") + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Reads one request's headers and body; null when the client closed first. */
    private static byte[] readRequestBody(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
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
                length = Integer.parseInt(line.substring(15).strip());
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

    /** Requests seen, for failure messages. */
    public List<String> summary() {
        List<String> out = new ArrayList<>();
        seen.forEach((method, count) -> out.add(method + "=" + count));
        return out;
    }
}
