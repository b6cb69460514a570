package dev.basenft.app.metrics;

import dev.basenft.adapter.base.rpc.BaseRpcChain;
import dev.basenft.adapter.base.rpc.RpcCallObserver;
import dev.basenft.adapter.postgres.PostgresStorage;
import dev.basenft.adapter.redis.QueueCounts;
import dev.basenft.adapter.redis.RedisDistributionQueue;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitState;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.service.WebhookListener;
import dev.basenft.core.service.WorkerEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The domain metrics of README.md#metrics, in Micrometer: what a worker did (transactions, gas, fees, mined recipients, time
 * from distribute to mined), what its circuit breaker and RPC endpoints are doing, and, refreshed in the background every
 * {@link #REFRESH}, the state it watches (batches by status, queue jobs by state, the minter's balance and nonce lag).
 *
 * <p>The gauges that need I/O are read on a thread of their own and cached, so a scrape never waits for a slow database or
 * node; a gauge whose last read failed keeps its last value (NaN before the first read). Thread-safe. {@link #close} stops
 * the refresh.
 */
public final class DomainMetrics implements WorkerEvents, CircuitBreaker.Listener, RpcCallObserver, WebhookListener,
        AutoCloseable {

    /** How often the gauges that need a database, Redis or RPC read are refreshed. */
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("dev.basenft.app.metrics");

    private final MeterRegistry registry;
    private final InstantSource clock;
    private final Map<String, Timer> rpcTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer distributeToMined;
    private final Counter recipientsMinted;
    private final Counter gasUsed;
    private final Counter feesPaid;
    private final Counter l1FeesPaid;
    private final Map<BatchStatus, AtomicReference<Double>> batches = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> queueJobs = new ConcurrentHashMap<>();
    private final AtomicReference<Double> minterBalance = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> nonceLag = new AtomicReference<>(Double.NaN);
    private final AtomicLong lastGasLimit = new AtomicLong();
    private volatile BaseRpcChain feeSource;
    private volatile ScheduledExecutorService refresher;

    /**
     * @param registry where the meters go; never null
     * @param clock for the time from distribute to mined; never null
     */
    public DomainMetrics(MeterRegistry registry, InstantSource clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.distributeToMined = Timer.builder("basenft.distribute.to.mined")
                .description("Time from the distribution that planned a batch to its mint being mined, per batch this process completed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofHours(6))
                .register(registry);
        this.recipientsMinted = Counter.builder("basenft.recipients.minted")
                .description("Recipients whose token this process saw mined").register(registry);
        this.gasUsed = Counter.builder("basenft.gas.used").description("Gas used by the mints this process completed")
                .register(registry);
        this.feesPaid = Counter.builder("basenft.fees.paid.wei")
                .description("Wei the minter paid for the mints this process completed (L2 gas × effective price + L1 data fee)")
                .register(registry);
        this.l1FeesPaid = Counter.builder("basenft.fees.paid.l1.wei")
                .description("The L1 data fee part of basenft_fees_paid_wei_total (Base's receipts' l1Fee; 0 on anvil)")
                .register(registry);
        for (String kind : new String[] {"sent", "replaced", "rebroadcast"}) {
            transactions(kind);
        }
        // At 0 from the start, so a scrape shows them before the first delivery (and README's table stays true).
        for (WebhookAttempt.Outcome outcome : WebhookAttempt.Outcome.values()) {
            webhookDeliveries(outcome);
        }
    }

    // ------------------------------------------------------------------------------------------------ WorkerEvents

    @Override
    public void transactionSent(Batch batch, StoredTransaction transaction) {
        lastGasLimit.set(transaction.transaction().gasLimit());
        transactions("sent").increment();
    }

    @Override
    public void transactionRebroadcast(Batch batch, StoredTransaction transaction) {
        transactions("rebroadcast").increment();
    }

    @Override
    public void transactionReplaced(Batch batch, StoredTransaction replacement) {
        lastGasLimit.set(replacement.transaction().gasLimit());
        transactions("replaced").increment();
    }

    @Override
    public void batchMined(Batch batch, MintReceipt receipt) {
        recipientsMinted.increment(receipt.tokens().size());
        gasUsed.increment(receipt.gasUsed());
        // Batch ids are UUIDv7 minted when the distribution planned the batch (TimeOrderedIds): their first 48 bits are
        // that moment in Unix milliseconds. A retried batch keeps its id, so this is from the first distribute.
        Instant planned = Instant.ofEpochMilli(batch.id().value().getMostSignificantBits() >>> 16);
        Duration taken = Duration.between(planned, clock.instant());
        if (!taken.isNegative()) {
            distributeToMined.record(taken);
        }
        if (receipt.fees().isPresent()) {
            // The receipt that completed the batch says what it cost, as the batch row stores it: no second read.
            feesPaid.increment(receipt.feePaid().orElseThrow().value().doubleValue());
            receipt.fees().get().l1Fee().ifPresent(l1 -> l1FeesPaid.increment(l1.value().doubleValue()));
            return;
        }
        BaseRpcChain chain = feeSource;
        ScheduledExecutorService background = refresher;
        if (chain != null && background != null) {
            // On the metrics thread: reading the receipt again must not hold up the batch thread that reported it.
            try {
                background.execute(() -> readFee(chain, receipt));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the process is stopping; the fee of its last batch goes uncounted
            }
        }
    }

    private void readFee(BaseRpcChain chain, MintReceipt receipt) {
        try {
            chain.feePaid(receipt.hash()).ifPresent(fee -> feesPaid.increment(fee.value().doubleValue()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read the fee paid by {0} for the fees metric: {1}", receipt.hash(),
                    e.getMessage());
        }
    }

    private Counter transactions(String kind) {
        return counters.computeIfAbsent("tx:" + kind, k -> Counter.builder("basenft.transactions")
                .description("Mint transactions this process had the node take: first sends, replacements on the same nonce, "
                        + "rebroadcasts of a transaction the node had lost")
                .tag("kind", kind).register(registry));
    }

    // -------------------------------------------------------------------------------------------------- webhooks

    @Override
    public void attempted(Webhook webhook, WebhookAttempt attempt) {
        webhookDeliveries(attempt.outcome()).increment();
    }

    private Counter webhookDeliveries(WebhookAttempt.Outcome outcome) {
        String tag = outcome.name().toLowerCase(java.util.Locale.ROOT);
        return counters.computeIfAbsent("webhook:" + tag, k -> Counter.builder("basenft.webhook.deliveries")
                .description("Webhook delivery tries this process made, by what they left the delivery as: delivered, "
                        + "retrying (another try is scheduled) or failed (attempts spent)")
                .tag("outcome", tag).register(registry));
    }

    // --------------------------------------------------------------------------------------------- breaker, RPC

    @Override
    public void changed(CircuitState from, CircuitState to) {
        changes(from, to).increment();
    }

    private Counter changes(CircuitState from, CircuitState to) {
        return counters.computeIfAbsent("breaker:" + from + ":" + to, k -> Counter.builder("basenft.breaker.transitions")
                .description("Changes of state of this process's circuit breaker")
                .tag("from", from.name()).tag("to", to.name()).register(registry));
    }

    @Override
    public void called(String endpoint, String method, Outcome outcome, Duration latency) {
        rpcTimers.computeIfAbsent(endpoint + " " + method + " " + outcome, k -> Timer.builder("basenft.rpc.calls")
                .description("JSON-RPC requests to one endpoint (each failover step and retry counts), by outcome")
                .tag("endpoint", endpoint).tag("method", method).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)).record(latency);
    }

    // ------------------------------------------------------------------------------------------------ the worker

    /**
     * Registers the worker's gauges (breaker state, batches, queue jobs, minter balance, nonce lag) and starts refreshing
     * them; called once, by the process that runs the worker.
     */
    public synchronized void watchWorker(CircuitBreaker breaker, PostgresStorage storage, RedisDistributionQueue queue,
            BaseRpcChain chain) {
        if (refresher != null) {
            throw new IllegalStateException("already watching a worker");
        }
        this.feeSource = chain;
        for (CircuitState state : CircuitState.values()) {
            Gauge.builder("basenft.breaker.state", breaker, b -> b.state() == state ? 1 : 0)
                    .description("1 for the state this process's circuit breaker is in, 0 for the others")
                    .tag("state", state.name()).register(registry);
        }
        // The transitions a breaker can make, at 0 from the start: a rate over them works before the first one.
        changes(CircuitState.CLOSED, CircuitState.OPEN);
        changes(CircuitState.OPEN, CircuitState.HALF_OPEN);
        changes(CircuitState.HALF_OPEN, CircuitState.OPEN);
        changes(CircuitState.HALF_OPEN, CircuitState.CLOSED);
        for (BatchStatus status : BatchStatus.values()) {
            gauge("basenft.batches", "Batches in each status, over every campaign", "status", status.name(),
                    batches.computeIfAbsent(status, s -> new AtomicReference<>(Double.NaN)));
        }
        for (String state : new String[] {"waiting", "active", "delayed", "prioritized", "failed"}) {
            gauge("basenft.queue.jobs", "Jobs in the distribution queue, by state", "state", state,
                    queueJobs.computeIfAbsent(state, s -> new AtomicReference<>(Double.NaN)));
        }
        Gauge.builder("basenft.minter.balance.wei", minterBalance, AtomicReference::get)
                .description("The minter wallet's balance in wei").register(registry);
        Gauge.builder("basenft.nonce.lag", nonceLag, AtomicReference::get)
                .description("The minter's pending nonce minus its latest: its transactions not yet mined").register(registry);
        refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("basenft-metrics")
                .factory());
        refresher.scheduleWithFixedDelay(() -> refresh(storage, queue, chain), 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void gauge(String name, String description, String tag, String value, AtomicReference<Double> holder) {
        Gauge.builder(name, holder, AtomicReference::get).description(description).tag(tag, value).register(registry);
    }

    private void refresh(PostgresStorage storage, RedisDistributionQueue queue, BaseRpcChain chain) {
        // Each source on its own: a database that is down must not freeze the RPC gauges, nor the other way round.
        read("batches", () -> {
            storage.batchCountsByStatus().forEach((status, n) -> batches.get(status).set(n.doubleValue()));
            return null;
        });
        read("queue", () -> {
            QueueCounts counts = queue.counts();
            queueJobs.get("waiting").set((double) counts.waiting());
            queueJobs.get("active").set((double) counts.active());
            queueJobs.get("delayed").set((double) counts.delayed());
            queueJobs.get("prioritized").set((double) counts.prioritized());
            queueJobs.get("failed").set((double) counts.failed());
            return null;
        });
        read("minter balance", () -> {
            minterBalance.set(chain.balance(chain.minter()).value().doubleValue());
            return null;
        });
        read("nonce lag", () -> {
            long latest = chain.latestNonce(chain.minter());
            nonceLag.set((double) (chain.pendingNonce(chain.minter()) - latest));
            return null;
        });
    }

    private static void read(String what, Supplier<Void> read) {
        try {
            read.get();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Metrics: could not read {0}: {1}", what, e.getMessage());
        }
    }

    /** The gas limit of the last transaction this process signed and sent, or empty before the first. */
    public java.util.OptionalLong lastGasLimit() {
        long limit = lastGasLimit.get();
        return limit == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(limit);
    }

    /** Stops the refresh. */
    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
