package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.port.in.ReadStatusQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live progress of campaigns as Server-Sent Events ({@code GET /api/campaigns/{id}/events}), for the console's campaign
 * page. One thread serves every stream: each tick it reads each watched campaign once (whoever watches it; only its owner
 * can) and writes a {@code progress} event to the streams whose last event differs, a comment to idle ones now and then
 * (so proxies keep them and a gone client is noticed), and closes streams older than their lifetime (the browser
 * reconnects, which re-checks its token). An idle stream costs no thread: the request is suspended (servlet async) and
 * only this ticker writes to it. The number of open streams is bounded; beyond it the route answers 503.
 *
 * <p>The batch list (every batch with its last transaction) is re-read when the counts change and at least every few
 * ticks, not on every tick: it is the expensive read of a large campaign. Thread-safe.
 */
public final class CampaignEvents implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http");
    private static final int BATCH_REREAD_TICKS = 5;
    /** Batches read per page when the event's batch list is refreshed. */
    private static final int BATCH_PAGE = 1_000;

    /** Where a stream's text goes: the suspended response. Called from the ticker thread only. */
    public interface Sink {
        /** Writes and flushes {@code text}; an {@link IOException} means the client is gone. */
        void send(String text) throws IOException;

        /** Ends the response (completes the suspended request). Called once. */
        void close();
    }

    /** One batch as the campaign page shows it: no recipient list (that can be 200 addresses a batch). */
    public record BatchProgress(int index, String status, int attempts, int recipientCount, String error, String txHash,
            Long blockNumber, String updatedAt) {
    }

    /** The data of a {@code progress} event. */
    public record Progress(Views.CampaignView campaign, List<BatchProgress> batches) {
    }

    private final ReadStatusQuery read;
    private final int maxStreams;
    private final Duration interval;
    private final Duration heartbeat;
    private final Duration lifetime;
    private final ScheduledExecutorService ticker;
    private final Map<CampaignId, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();

    /**
     * @param read the status reads; never null
     * @param maxStreams open streams allowed at once; positive
     * @param interval how often campaigns are read; positive
     * @param heartbeat how long a stream may go without a write before a comment is sent; positive
     * @param lifetime how long one stream lasts before it is closed for the client to reconnect; positive
     */
    public CampaignEvents(ReadStatusQuery read, int maxStreams, Duration interval, Duration heartbeat, Duration lifetime) {
        this.read = Objects.requireNonNull(read, "read");
        this.maxStreams = (int) Require.positive("maxStreams", maxStreams);
        this.interval = Require.positive("interval", interval);
        this.heartbeat = Require.positive("heartbeat", heartbeat);
        this.lifetime = Require.positive("lifetime", lifetime);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "campaign-events");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tickAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The defaults the server runs with: 500 streams, a read every second, a comment every 15 s, streams of 10 minutes. */
    public static CampaignEvents withDefaults(ReadStatusQuery read) {
        return new CampaignEvents(read, 500, Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(10));
    }

    /** Takes a slot for a stream; false when all are taken. A taken slot is given back by the stream's end or {@link #release()}. */
    public boolean reserve() {
        while (true) {
            int now = reserved.get();
            if (now >= maxStreams) {
                return false;
            }
            if (reserved.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot that {@link #reserve()} took but no stream used. */
    public void release() {
        reserved.decrementAndGet();
    }

    /** Streams open now (reserved slots included). */
    public int openStreams() {
        return reserved.get();
    }

    /**
     * Starts a stream on a reserved slot: its first event is written as soon as the ticker gets to it.
     *
     * @param owner the caller, already checked to own {@code campaign}; never null
     * @param campaign never null
     * @param sink never null
     */
    public void subscribe(Fid owner, CampaignId campaign, Sink sink) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(sink, "sink");
        Channel channel = channels.computeIfAbsent(campaign, id -> new Channel(owner, id));
        channel.streams.add(new Stream(sink, System.nanoTime()));
        ticker.execute(() -> tick(channel, true));
    }

    private void tickAll() {
        for (Channel channel : channels.values()) {
            tick(channel, false);
        }
    }

    private void tick(Channel channel, boolean fresh) {
        try {
            if (channel.streams.isEmpty()) {
                channels.remove(channel.campaign, channel);
                return;
            }
            String event = channel.snapshot(fresh);
            long now = System.nanoTime();
            for (Stream stream : channel.streams) {
                if (event == null) {
                    end(channel, stream, "event: gone\ndata: {}\n\n");
                } else if (now - stream.openedAt > lifetime.toNanos()) {
                    end(channel, stream, "event: reconnect\ndata: {}\n\n");
                } else if (!event.equals(stream.lastEvent)) {
                    write(channel, stream, "event: progress\ndata: " + event + "\n\n", now);
                    stream.lastEvent = event;
                } else if (now - stream.lastWrite > heartbeat.toNanos()) {
                    write(channel, stream, ": keep-alive\n\n", now);
                }
            }
        } catch (RuntimeException e) {
            // A failed read (the database away) must not end the ticker; the streams keep their last event.
            LOG.log(System.Logger.Level.WARNING, "campaign events for " + channel.campaign + " not read: " + e);
        }
    }

    private void write(Channel channel, Stream stream, String text, long now) {
        try {
            stream.sink.send(text);
            stream.lastWrite = now;
        } catch (IOException | RuntimeException e) {
            remove(channel, stream);
        }
    }

    private void end(Channel channel, Stream stream, String text) {
        try {
            stream.sink.send(text);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        remove(channel, stream);
    }

    private void remove(Channel channel, Stream stream) {
        if (channel.streams.remove(stream)) {
            reserved.decrementAndGet();
            try {
                stream.sink.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing an event stream failed: " + e);
            }
        }
    }

    /** Ends every stream and the ticker. */
    @Override
    public void close() {
        ticker.shutdownNow();
        for (Channel channel : channels.values()) {
            for (Stream stream : channel.streams) {
                remove(channel, stream);
            }
        }
        channels.clear();
    }

    private final class Channel {
        final Fid owner;
        final CampaignId campaign;
        final List<Stream> streams = new CopyOnWriteArrayList<>();
        String lastCampaign;
        List<BatchProgress> batches;
        int ticksSinceBatches;

        Channel(Fid owner, CampaignId campaign) {
            this.owner = owner;
            this.campaign = campaign;
        }

        /** The event's data now; null when the campaign is gone. Only the ticker thread calls this. */
        String snapshot(boolean fresh) {
            Optional<ReadStatusQuery.CampaignView> view = read.campaign(owner, campaign);
            if (view.isEmpty()) {
                return null;
            }
            Views.CampaignView campaignView = Views.campaign(view.get());
            String campaignJson = new String(Json.write(campaignView), StandardCharsets.UTF_8);
            if (batches == null || fresh || !campaignJson.equals(lastCampaign) || ++ticksSinceBatches >= BATCH_REREAD_TICKS) {
                batches = allBatches();
                ticksSinceBatches = 0;
            }
            lastCampaign = campaignJson;
            return new String(Json.write(new Progress(campaignView, batches)), StandardCharsets.UTF_8);
        }

        /** Every batch, a page of {@link #BATCH_PAGE} at a time: two reads per page, none per batch. */
        private List<BatchProgress> allBatches() {
            List<BatchProgress> all = new ArrayList<>();
            Optional<Integer> after = Optional.empty();
            while (true) {
                List<ReadStatusQuery.BatchView> page = read.distributions(owner, campaign, after, BATCH_PAGE);
                page.forEach(view -> all.add(progress(view)));
                if (page.size() < BATCH_PAGE) {
                    return List.copyOf(all);
                }
                after = Optional.of(page.getLast().batch().index());
            }
        }
    }

    private static BatchProgress progress(ReadStatusQuery.BatchView view) {
        var b = view.batch();
        List<StoredTransaction> txs = view.transactions();
        String last = txs.isEmpty() ? null : txs.get(txs.size() - 1).hash().value();
        return new BatchProgress(b.index(), b.status().name(), b.attempts(), b.recipientCount(), b.error().orElse(null),
                last, b.blockNumber().orElse(null), b.updatedAt().toString());
    }

    private static final class Stream {
        final Sink sink;
        final long openedAt;
        volatile String lastEvent;
        volatile long lastWrite;

        Stream(Sink sink, long openedAt) {
            this.sink = sink;
            this.openedAt = openedAt;
            this.lastWrite = openedAt;
        }
    }
}
