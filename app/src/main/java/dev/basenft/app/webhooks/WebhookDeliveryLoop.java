package dev.basenft.app.webhooks;

import dev.basenft.core.service.WebhookDispatcher;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs core's {@link WebhookDispatcher} on one daemon thread: round after round while deliveries are due, pausing
 * {@code pollInterval} when a round found none. An error (the database away, say) is logged and the loop goes on after a
 * pause; nothing is lost meanwhile, since events and deliveries live in PostgreSQL. {@link #close} stops it, waiting for
 * the POST in progress up to a few seconds; a delivery cut off then is claimed again once its lease lapses. Thread-safe.
 */
public final class WebhookDeliveryLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.basenft.webhooks");

    private final WebhookDispatcher dispatcher;
    private final Duration pollInterval;
    private final Thread thread;
    private volatile boolean running = true;

    private WebhookDeliveryLoop(WebhookDispatcher dispatcher, Duration pollInterval) {
        this.dispatcher = dispatcher;
        this.pollInterval = pollInterval;
        this.thread = Thread.ofPlatform().name("webhook-delivery").daemon().unstarted(this::run);
    }

    /** Starts a loop; both arguments are required. */
    public static WebhookDeliveryLoop start(WebhookDispatcher dispatcher, Duration pollInterval) {
        WebhookDeliveryLoop loop = new WebhookDeliveryLoop(Objects.requireNonNull(dispatcher, "dispatcher"),
                Objects.requireNonNull(pollInterval, "pollInterval"));
        loop.thread.start();
        LOG.log(Level.INFO, "[webhooks] Delivery loop started");
        return loop;
    }

    private void run() {
        while (running) {
            try {
                if (dispatcher.runOnce() == 0) {
                    Thread.sleep(pollInterval);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "[webhooks] Delivery round failed, trying again shortly: " + e.getMessage(), e);
                try {
                    Thread.sleep(pollInterval.multipliedBy(5));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
