package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.core.model.ChainUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The new-block watcher against a real anvil, which serves WebSocket JSON-RPC on its HTTP port: a {@code newHeads}
 * subscription wakes waiters on each block, a dropped connection is reconnected, polling {@code eth_blockNumber} stands in
 * when there is no WebSocket, and a waiter never waits longer than it asked.
 */
class NewBlockWatcherOnAnvilTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static AnvilProcess anvil;
    private static DevRpc rpc;

    @BeforeAll
    static void start() {
        anvil = AnvilProcess.start();
        rpc = new DevRpc(anvil.url());
    }

    @AfterAll
    static void stop() {
        anvil.close();
    }

    /** Polling that never answers: only the subscription can tell of a block. */
    private static final LongSupplier NO_POLLING = () -> {
        throw new ChainUnavailableException("polling is off in this test");
    };

    private static void awaitSubscribed(NewBlockWatcher watcher) throws InterruptedException {
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (!watcher.subscribed()) {
            assertThat(System.nanoTime()).as("subscribed within " + PATIENCE).isLessThan(until);
            Thread.sleep(20);
        }
    }

    @Test
    void aNewHeadsSubscriptionWakesTheWaiterOnTheNextBlock() throws InterruptedException {
        try (NewBlockWatcher watcher = NewBlockWatcher.start(Optional.of(NewBlockWatcher.webSocketFor(anvil.url())),
                NO_POLLING, Duration.ofSeconds(30))) {
            awaitSubscribed(watcher);
            long head = rpc.blockNumber();

            rpc.mine();

            assertThat(watcher.awaitAbove(head, PATIENCE)).isEqualTo(head + 1);
            assertThat(watcher.head()).isEqualTo(head + 1);
        }
    }

    @Test
    void aDroppedWebSocketIsReconnectedAndHeardAgain() throws Exception {
        try (CuttableTcpProxy proxy = new CuttableTcpProxy(anvil.port());
                NewBlockWatcher watcher = NewBlockWatcher.start(Optional.of(URI.create("ws://127.0.0.1:" + proxy.port())),
                        NO_POLLING, Duration.ofSeconds(30))) {
            awaitSubscribed(watcher);

            proxy.cutAll();
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (proxy.connections() < 2) {
                assertThat(System.nanoTime()).as("noticed the drop and reconnected").isLessThan(until);
                Thread.sleep(20);
            }
            awaitSubscribed(watcher);
            long head = rpc.blockNumber();
            rpc.mine();

            assertThat(watcher.awaitAbove(head, PATIENCE)).isEqualTo(head + 1);
        }
    }

    @Test
    void withoutAWebSocketTheHeadIsPolled() {
        try (NewBlockWatcher watcher = NewBlockWatcher.start(Optional.empty(), rpc::blockNumber, Duration.ofMillis(50))) {
            long head = rpc.blockNumber();

            rpc.mine();

            assertThat(watcher.awaitAbove(head, PATIENCE)).isEqualTo(head + 1);
            assertThat(watcher.subscribed()).isFalse();
        }
    }

    @Test
    void aWebSocketThatCannotConnectLeavesPollingToTellOfBlocks() {
        int nothingThere = AnvilProcess.freePort();
        try (NewBlockWatcher watcher = NewBlockWatcher.start(Optional.of(URI.create("ws://127.0.0.1:" + nothingThere)),
                rpc::blockNumber, Duration.ofMillis(50))) {
            long head = rpc.blockNumber();

            rpc.mine();

            assertThat(watcher.awaitAbove(head, PATIENCE)).isEqualTo(head + 1);
        }
    }

    @Test
    void aWaiterWithNoNewsReturnsWhenItsWaitIsUp() {
        try (NewBlockWatcher watcher = NewBlockWatcher.start(Optional.empty(), NO_POLLING, Duration.ofSeconds(30))) {
            long start = System.nanoTime();

            assertThat(watcher.awaitAbove(-1, Duration.ofMillis(100))).as("nothing known").isEqualTo(-1);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
    }

    @Test
    void settingsAreChecked() {
        assertThat(NewBlockWatcher.webSocketFor(URI.create("https://node.example/v2/key?x=1")))
                .isEqualTo(URI.create("wss://node.example/v2/key?x=1"));
        assertThat(NewBlockWatcher.webSocketFor(URI.create("http://127.0.0.1:8545")))
                .isEqualTo(URI.create("ws://127.0.0.1:8545"));
        assertThat(NewBlockWatcher.pollIntervalFor(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
        assertThat(NewBlockWatcher.pollIntervalFor(Duration.ZERO)).isEqualTo(Duration.ofMillis(50));
        assertThat(NewBlockWatcher.pollIntervalFor(Duration.ofSeconds(12))).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> NewBlockWatcher.start(Optional.of(URI.create("http://127.0.0.1:1")), NO_POLLING,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webSocket");
    }

    /** Forwards TCP to anvil and can cut every open connection at once, as a network drop would. */
    private static final class CuttableTcpProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final int upstream;
        private volatile int accepted;

        CuttableTcpProxy(int upstream) throws IOException {
            this.upstream = upstream;
            Thread.ofVirtual().start(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return accepted;
        }

        void cutAll() throws IOException {
            for (Socket socket : open) {
                socket.close();
            }
            open.clear();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket node = new Socket(InetAddress.getLoopbackAddress(), upstream);
                    open.add(client);
                    open.add(node);
                    accepted++;
                    Thread.ofVirtual().start(() -> pipe(client, node));
                    Thread.ofVirtual().start(() -> pipe(node, client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pipe(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            cutAll();
        }
    }
}
