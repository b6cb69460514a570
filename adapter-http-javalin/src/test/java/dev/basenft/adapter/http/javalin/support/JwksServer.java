package dev.basenft.adapter.http.javalin.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A local Quick Auth origin: serves {@code /.well-known/jwks.json} from the JDK's HTTP server on a random loopback port,
 * counts fetches, and can be made slow, broken or unreachable. Thread-safe.
 */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<List<TestKey>> published = new AtomicReference<>(List.of());
    private final AtomicReference<String> rawOverride = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile Duration delay = Duration.ZERO;

    public JwksServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            try {
                if (!delay.isZero()) {
                    Thread.sleep(delay.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String override = rawOverride.get();
            byte[] body = (override != null ? override : jwks()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The origin, e.g. {@code http://127.0.0.1:41234}: issuer and JWKS host. */
    public URI origin() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void publish(TestKey... keys) {
        published.set(List.of(keys));
    }

    /** Serve this text instead of the key set (null to stop). */
    public void serveRaw(String body) {
        rawOverride.set(body);
    }

    public void answerStatus(int code) {
        status.set(code);
    }

    public void delay(Duration by) {
        delay = by;
    }

    public int fetches() {
        return fetches.get();
    }

    private String jwks() {
        return published.get().stream().map(TestKey::publicJwkJson).collect(Collectors.joining(",", "{\"keys\":[", "]}"));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
