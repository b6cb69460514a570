package dev.basenft.adapter.base.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basenft.adapter.base.rpc.internal.Redaction;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.NewBlocks;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Learns of each new block and wakes the receipt waiters ({@link NewBlocks}): over a WebSocket {@code
 * eth_subscribe("newHeads")} when a WebSocket URL is given, else, and whenever the subscription is down or silent, by
 * polling {@code eth_blockNumber} every poll interval. A dropped or refused WebSocket is reconnected with a growing pause (1 s
 * doubling to 60 s); a node that refuses the subscription method is left to polling for good.
 *
 * <p>The head it reports is a hint: waiters read receipts and depth from the chain itself, and never wait longer than they
 * ask, so a silent source costs at most their poll interval. Uses the JDK's {@link java.net.http.WebSocket}. Thread-safe;
 * {@link #close} stops its threads. URLs in log lines are redacted.
 */
public final class NewBlockWatcher implements NewBlocks, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NewBlockWatcher.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIBE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}";
    private static final Duration MIN_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(2);
    private static final Duration MAX_RECONNECT_PAUSE = Duration.ofSeconds(60);

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private long head = -1;
    private final LongSupplier blockNumber;
    private final Duration pollInterval;
    private final long staleAfterNanos;
    private final Optional<URI> webSocket;
    private final HttpClient http;
    private final Thread poller;
    private final ScheduledExecutorService reconnects;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile WebSocket socket;
    private volatile boolean subscribed;
    private volatile boolean refused;
    private volatile long lastSocketHead = System.nanoTime();
    private volatile boolean closed;

    private NewBlockWatcher(Optional<URI> webSocket, LongSupplier blockNumber, Duration pollInterval) {
        this.webSocket = webSocket;
        this.blockNumber = blockNumber;
        this.pollInterval = pollInterval;
        // A subscription that has said nothing for this long is treated as down: polling takes over until it speaks.
        this.staleAfterNanos = Math.max(Duration.ofSeconds(5).toNanos(), pollInterval.toNanos() * 8);
        this.http = webSocket.isPresent() ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build() : null;
        this.reconnects = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("new-blocks-ws")
                .factory());
        this.poller = Thread.ofPlatform().daemon().name("new-blocks-poll").unstarted(this::pollLoop);
    }

    /**
     * Starts watching.
     *
     * @param webSocket a {@code ws://} or {@code wss://} JSON-RPC URL to subscribe to, or empty to poll only; never null
     * @param blockNumber asks a node for its head ({@code eth_blockNumber}); may throw {@link ChainUnavailableException},
     *        which is logged and retried at the next poll; never null
     * @param pollInterval how often the head is polled while no subscription is live; positive, never null
     * @throws IllegalArgumentException when {@code webSocket} is not a ws or wss URL
     */
    public static NewBlockWatcher start(Optional<URI> webSocket, LongSupplier blockNumber, Duration pollInterval) {
        Require.notNull("webSocket", webSocket);
        Require.notNull("blockNumber", blockNumber);
        Require.positive("pollInterval", pollInterval);
        webSocket.ifPresent(url -> {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || url.getHost() == null) {
                throw new IllegalArgumentException("webSocket must be a ws:// or wss:// URL, got " + Redaction.url(url));
            }
        });
        NewBlockWatcher watcher = new NewBlockWatcher(webSocket, blockNumber, pollInterval);
        watcher.poller.start();
        if (webSocket.isPresent()) {
            watcher.connect();
        } else {
            LOG.log(Level.INFO, "New blocks: no WebSocket URL; polling eth_blockNumber every {0,number,#} ms",
                    pollInterval.toMillis());
        }
        return watcher;
    }

    /**
     * The WebSocket URL of the same endpoint as an http(s) RPC URL: {@code ws://} for {@code http://}, {@code wss://} for
     * {@code https://}, host, port, path and query kept (how anvil, geth and most providers serve both).
     *
     * @param rpc an http or https URL; never null
     */
    public static URI webSocketFor(URI rpc) {
        Require.notNull("rpc", rpc);
        String scheme = rpc.getScheme() == null ? "" : rpc.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("rpc must be an http or https URL, got " + Redaction.url(rpc));
        }
        return URI.create((scheme.equals("https") ? "wss" : "ws") + rpc.toString().substring(scheme.length()));
    }

    /**
     * The receipt poll interval for a chain's block time: a quarter of it, so a receipt is seen within a quarter block of
     * its block even with no news of blocks, between 50 ms and 2 s.
     *
     * @param blockTime not negative, never null
     */
    public static Duration pollIntervalFor(Duration blockTime) {
        Require.notNull("blockTime", blockTime);
        if (blockTime.isNegative()) {
            throw new IllegalArgumentException("blockTime must not be negative, got " + blockTime);
        }
        Duration quarter = blockTime.dividedBy(4);
        return quarter.compareTo(MIN_POLL) < 0 ? MIN_POLL : quarter.compareTo(MAX_POLL) > 0 ? MAX_POLL : quarter;
    }

    @Override
    public long head() {
        synchronized (lock) {
            return head;
        }
    }

    @Override
    public long awaitAbove(long seen, Duration atMost) {
        Require.positive("atMost", atMost);
        long until = System.nanoTime() + atMost.toNanos();
        synchronized (lock) {
            while (head <= seen) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChainUnavailableException("interrupted while waiting for a new block", e);
                }
            }
            return head;
        }
    }

    /** Whether the {@code newHeads} subscription is up and has spoken recently (polling rests meanwhile). */
    public boolean subscribed() {
        return subscribed && System.nanoTime() - lastSocketHead < staleAfterNanos;
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        reconnects.shutdownNow();
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
        if (http != null) {
            http.close();
        }
    }

    private void heard(long block) {
        synchronized (lock) {
            if (block > head) {
                head = block;
            }
            lock.notifyAll();
        }
    }

    private void pollLoop() {
        boolean failing = false;
        while (!closed) {
            if (!subscribed()) {
                try {
                    heard(blockNumber.getAsLong());
                    failing = false;
                } catch (RuntimeException e) {
                    if (!failing) {
                        LOG.log(Level.WARNING, "New blocks: polling eth_blockNumber failed ({0}); receipt waiters fall back"
                                + " to their poll interval", e.getMessage());
                        failing = true;
                    }
                }
            }
            try {
                Thread.sleep(pollInterval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connect() {
        if (closed || refused) {
            return;
        }
        URI url = webSocket.orElseThrow();
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(url, new Listener())
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        reconnectLater("could not connect (" + describe(failure) + ")");
                        return;
                    }
                    socket = ws;
                    ws.sendText(SUBSCRIBE, true);
                });
    }

    private void reconnectLater(String what) {
        subscribed = false;
        socket = null;
        if (closed || refused) {
            return;
        }
        int failed = failures.incrementAndGet();
        long pauseMillis = Math.min(MAX_RECONNECT_PAUSE.toMillis(), 1000L << Math.min(failed - 1, 16));
        // The first failure of a run is news; the retries that follow are not.
        LOG.log(failed == 1 ? Level.WARNING : Level.DEBUG, "New blocks: WebSocket {0} {1}; polling eth_blockNumber every"
                + " {2,number,#} ms meanwhile, reconnecting in {3,number,#} s", Redaction.url(webSocket.orElseThrow()), what,
                pollInterval.toMillis(), Math.max(1, pauseMillis / 1000));
        try {
            reconnects.schedule(this::connect, pauseMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    private void onMessage(WebSocket ws, String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "New blocks: ignoring a WebSocket message that is not JSON");
            return;
        }
        if (message.path("id").asInt(-1) == 1) {
            if (message.hasNonNull("error")) {
                refused = true;
                subscribed = false;
                LOG.log(Level.WARNING, "New blocks: {0} refused eth_subscribe(newHeads) ({1}); polling eth_blockNumber"
                        + " every {2,number,#} ms instead", Redaction.url(webSocket.orElseThrow()),
                        message.path("error").path("message").asText(""), pollInterval.toMillis());
                ws.abort();
                return;
            }
            subscribed = true;
            lastSocketHead = System.nanoTime();
            failures.set(0);
            LOG.log(Level.INFO, "New blocks: subscribed to newHeads at {0}; receipt waiters look again on each block",
                    Redaction.url(webSocket.orElseThrow()));
            return;
        }
        JsonNode number = message.path("params").path("result").path("number");
        if ("eth_subscription".equals(message.path("method").asText()) && number.isTextual()) {
            try {
                long block = Long.decode(number.asText());
                lastSocketHead = System.nanoTime();
                heard(block);
            } catch (NumberFormatException e) {
                LOG.log(Level.DEBUG, "New blocks: ignoring a head with an unreadable number");
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** One connection's events; messages may come in parts. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(ws, text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            reconnectLater("closed (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            reconnectLater("failed (" + describe(error) + ")");
        }
    }
}
