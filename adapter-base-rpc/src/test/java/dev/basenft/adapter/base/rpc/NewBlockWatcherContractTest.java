package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.core.port.out.NewBlocks;
import dev.basenft.core.testing.contract.NewBlocksContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link NewBlockWatcher} subscribed to a real anvil's newHeads, against {@link NewBlocksContract}. */
class NewBlockWatcherContractTest extends NewBlocksContract {

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

    @Override
    protected Fixture newBlocks() {
        // Polling far slower than the tests: what they hear comes over the WebSocket.
        NewBlockWatcher watcher = NewBlockWatcher.start(Optional.of(NewBlockWatcher.webSocketFor(anvil.url())),
                rpc::blockNumber, Duration.ofSeconds(30));
        return new Fixture() {
            @Override
            public NewBlocks blocks() {
                return watcher;
            }

            @Override
            public void mineBlock() {
                rpc.mine();
            }

            @Override
            public long chainHead() {
                return rpc.blockNumber();
            }

            @Override
            public void ready() {
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!watcher.subscribed()) {
                    if (System.nanoTime() > until) {
                        throw new AssertionError("no newHeads subscription within 20 s");
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                }
            }

            @Override
            public void close() {
                watcher.close();
            }
        };
    }
}
