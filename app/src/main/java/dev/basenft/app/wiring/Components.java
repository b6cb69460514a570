package dev.basenft.app.wiring;

import dev.basenft.adapter.base.rpc.BaseRpcChain;
import dev.basenft.adapter.base.rpc.BaseRpcSettings;
import dev.basenft.adapter.base.rpc.MinterKey;
import dev.basenft.adapter.base.rpc.NewBlockWatcher;
import dev.basenft.adapter.base.rpc.Readiness;
import dev.basenft.adapter.http.javalin.AuthSettings;
import dev.basenft.adapter.http.javalin.ConsoleSettings;
import dev.basenft.adapter.http.javalin.HttpApi;
import dev.basenft.adapter.http.javalin.HttpSettings;
import dev.basenft.adapter.http.javalin.ManagementServer;
import dev.basenft.adapter.http.javalin.QuickAuthAuthenticator;
import dev.basenft.adapter.http.javalin.ReadinessCheck;
import dev.basenft.adapter.postgres.PostgresStorage;
import dev.basenft.adapter.redis.RedisDistributionQueue;
import dev.basenft.adapter.redis.RedisQueueSettings;
import dev.basenft.app.config.ConfigurationException;
import dev.basenft.app.config.Settings;
import dev.basenft.app.cost.CostEstimator;
import dev.basenft.app.logging.LogContext;
import dev.basenft.app.metrics.DomainMetrics;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.breaker.CircuitState;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.CampaignService;
import dev.basenft.core.service.DistributionControl;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WebhookDispatcher;
import dev.basenft.core.service.WebhookService;
import dev.basenft.app.webhooks.JdkWebhookSender;
import dev.basenft.app.webhooks.WebhookDeliveryLoop;
import dev.basenft.core.service.DistributionWorker;
import dev.basenft.core.service.NonceHealth;
import dev.basenft.core.service.QueueSweep;
import dev.basenft.core.model.Wei;
import dev.basenft.core.service.WorkerIdentity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The composition root: PostgreSQL, Redis and the Base RPC gateway built from {@link Settings}, and core's services on top.
 * {@link #httpApi()} and {@link #worker()} build the two production processes from the same parts; {@code dev} builds both.
 *
 * <p>Opening checks what can only be checked against the live services, each failure naming what to fix: the minter key's
 * address (when the settings carry the key) must be {@code DEPLOYER_ADDRESS}, the RPC must serve {@code CHAIN_ID},
 * PostgreSQL and Redis must answer. Without the key (the server's settings) the gateway knows the minter by
 * {@code DEPLOYER_ADDRESS} alone and cannot sign, so only {@link #httpApi()} can be built. Whatever was opened before a
 * failure is closed again. Not thread-safe to open or close; the parts themselves are.
 */
public final class Components implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.basenft.app");
    /**
     * A killed worker's job goes back to the queue up to this many times (BullMQ's default is 1). Re-running a batch is
     * safe here — the ledger and the on-chain batch key make it exactly-once — so a crash loop must not fail the job.
     */
    private static final int MAX_STALLED_COUNT = 100;
    /**
     * Gas of a batch's mint before a worker has signed one (the minter checks of readiness and {@code doctor}): above what
     * our collection's {@code mintBatch} uses (measured ≈ 47,400 per fresh recipient on Base, plus the call itself), so the
     * estimate errs on the safe side.
     *
     * @param recipients 1 or more
     */
    public static long estimatedBatchGas(int recipients) {
        return 60_000L + 50_000L * recipients;
    }

    private final Settings settings;
    private final InstantSource clock;
    private final PostgresStorage storage;
    private final RedisDistributionQueue queue;
    private final BaseRpcChain chain;
    private final CircuitBreaker breaker;
    private final CampaignService campaigns;
    private final DistributionControl control;
    private final WebhookService webhooks;
    private final DistributionSettings distribution;
    private final ChainSizing sizing;
    private final WorkerIdentity identity;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DomainMetrics domain;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    private final boolean migrate;

    private Components(Settings settings, InstantSource clock, boolean migrate) {
        this.settings = settings;
        this.migrate = migrate;
        this.clock = clock;
        this.identity = new WorkerIdentity(ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8));
        Optional<MinterKey> key = settings.minterPrivateKey().map(MinterKey::fromHex);
        if (key.isPresent() && !key.get().address().equals(settings.deployerAddress())) {
            // Collections from the factory grant MINTER_ROLE to DEPLOYER_ADDRESS; any other key could never mint.
            throw new ConfigurationException(List.of("DEPLOYER_ADDRESS is " + settings.deployerAddress()
                    + " but MINTER_PRIVATE_KEY signs for " + key.get().address() + "; they must be the same wallet (the factory grants"
                    + " MINTER_ROLE to DEPLOYER_ADDRESS)"));
        }
        // Before the chain, which tells it of every RPC request; closed before the chain (newest first), as it reads it.
        this.domain = new DomainMetrics(metrics, clock);
        try {
            this.storage = keep(openStorage());
            this.chain = keep(openChain(key));
            // After the chain, which it reads, and before the queue, whose concurrency it may choose.
            this.sizing = ChainSizing.resolve(settings, chain::blockGasLimit);
            LOG.log(sizing.source() == ChainSizing.Source.FALLBACK ? System.Logger.Level.WARNING
                    : System.Logger.Level.INFO, "[sizing] {0}", sizing.description());
            this.distribution = DistributionSettings.builder()
                    .batchSize(sizing.batchSize())
                    .maxFeePerGas(settings.maxFeePerGas())
                    .maxInFlight(sizing.maxInFlight())
                    .breakerCooldown(settings.breakerCooldown())
                    .lease(settings.batchLease())
                    .receiptTimeout(settings.receiptTimeout())
                    .stuckAfter(settings.stuckAfter())
                    .waitDelay(settings.waitDelay())
                    .confirmations(settings.confirmations())
                    .acceptPreconfirmations(settings.acceptPreconfirmations())
                    .build();
            this.queue = keep(openQueue());
            keep(domain);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.breaker = new CircuitBreaker(CircuitBreakerConfig.builder()
                .failureThreshold(settings.breakerFailureThreshold())
                .cooldown(settings.breakerCooldown())
                .build(), clock, domain);
        this.campaigns = new CampaignService(storage.campaigns(), storage.recipients(), storage.batches(),
                storage.transactionLedger(), queue, chain, new TimeOrderedIds(clock), clock, settings.chainId(), distribution);
        this.control = new DistributionControl(storage.campaigns(), storage.recipients(), storage.batches(), queue);
        this.webhooks = new WebhookService(storage.webhooks(), storage.campaigns(), new TimeOrderedIds(clock), clock,
                settings.webhooks());
    }

    /**
     * Connects to everything {@code settings} names and migrates the database schema.
     *
     * @param settings validated settings; never null
     * @param clock the clock for leases, breaker and timestamps; never null
     * @throws ConfigurationException when the minter key is not {@code DEPLOYER_ADDRESS}'s
     * @throws StartupException when a service cannot be reached or the RPC serves another chain
     */
    public static Components open(Settings settings, InstantSource clock) {
        return new Components(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"), true);
    }

    /**
     * As {@link #open}, but leaves the database schema as it is: for {@code doctor}, which only reads and reports a
     * schema that is behind instead of changing it.
     */
    public static Components inspect(Settings settings, InstantSource clock) {
        return new Components(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"), false);
    }

    private <T extends AutoCloseable> T keep(T part) {
        opened.push(part);
        return part;
    }

    private PostgresStorage openStorage() {
        try {
            PostgresStorage opened = PostgresStorage.builder().url(settings.databaseUrl()).clock(clock).migrateOnStart(migrate)
                    .maximumPoolSize(settings.databasePoolSize())
                    .build();
            LOG.log(System.Logger.Level.INFO, migrate ? "PostgreSQL ready, schema migrated" : "PostgreSQL ready");
            return opened;
        } catch (RuntimeException e) {
            throw new StartupException("cannot use the database at DATABASE_URL (" + settings.redactedDatabaseUrl() + "): " + rootMessage(e), e);
        }
    }

    private RedisDistributionQueue openQueue() {
        RedisQueueSettings queueSettings = RedisQueueSettings.builder()
                .url(settings.redisUri().toString())
                .attempts(settings.jobAttempts())
                .concurrency(sizing.workerConcurrency())
                .maxStalledCount(MAX_STALLED_COUNT)
                // The stalled-job check runs as often as a lock lasts (the adapter's default for stalledInterval).
                .lockDuration(settings.queueLockDuration())
                .workerName(identity.value())
                .build();
        try {
            RedisDistributionQueue redis = RedisDistributionQueue.open(queueSettings, clock);
            redis.counts();
            LOG.log(System.Logger.Level.INFO, "Redis ready at {0}", queueSettings);
            return redis;
        } catch (RuntimeException e) {
            throw new StartupException("cannot use Redis at " + queueSettings.host() + ":" + queueSettings.port()
                    + " (REDIS_URL or REDIS_HOST/REDIS_PORT): " + rootMessage(e), e);
        }
    }

    private BaseRpcChain openChain(Optional<MinterKey> key) {
        BaseRpcSettings rpc = BaseRpcSettings.builder()
                .rpcUrls(settings.rpcUrls())
                .chainId(settings.chainId())
                // Readiness and the deployment checks name the minter by DEPLOYER_ADDRESS, so the server needs no key.
                .minter(settings.deployerAddress())
                .minterKey(key.orElse(null))
                .factory(settings.factoryAddress())
                .callTimeout(settings.rpcTimeout())
                .logsBlockRange(settings.logsBlockRange())
                .gasMarginPercent(settings.gasMarginPercent())
                .sendSync(settings.sendSync())
                .build();
        try {
            // No endpoint answering is not a reason to exit: the gateway starts unready and /health/ready says so.
            return BaseRpcChain.connect(rpc, domain);
        } catch (IllegalStateException e) {
            // The adapter names the endpoint (redacted) and both chain ids.
            throw new StartupException("CHAIN_ID is " + settings.chainId().value() + " but the RPC disagrees: "
                    + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root == e ? String.valueOf(message) : e.getMessage() + " (" + root.getClass().getSimpleName() + ": " + message
                + ")";
    }

    /**
     * The HTTP API on {@code HOST}:{@code PORT}, ready when PostgreSQL and Redis are (the server's own dependencies: an
     * empty minter wallet or a worker's open breaker never takes the API out of a load balancer), with CORS for
     * {@code CORS_ORIGINS}.
     */
    public HttpApi httpApi() {
        return httpApi(false);
    }

    /**
     * As {@link #httpApi()}; with {@code alsoWorker} (the {@code dev} command, which runs the worker in the same process
     * and has one port) its readiness and metrics are the worker's too.
     */
    public HttpApi httpApi(boolean alsoWorker) {
        AuthSettings auth = new AuthSettings(settings.quickAuthOrigin(), settings.appDomain(), settings.allowDevAuth(),
                settings.appEnvironment());
        HttpApi.Builder api = HttpApi.builder()
                .useCases(campaigns)
                .controls(control)
                .webhooks(webhooks)
                .estimateCost(new CostEstimator(campaigns, chain, sizing.batchSize(), settings.maxFeePerGas(),
                        Components::estimatedBatchGas))
                .idempotencyRecords(storage.idempotencyRecords())
                .authenticator(QuickAuthAuthenticator.create(auth, clock))
                .settings(HttpSettings.builder().host(settings.host()).port(settings.port())
                        .corsOrigins(settings.corsOrigins()).build())
                .meterRegistry(metrics)
                .clock(clock)
                .console(consoleSettings());
        (alsoWorker ? workerReadinessChecks() : serverReadinessChecks()).forEach(api::readinessCheck);
        return api.build();
    }

    /**
     * The console's view of this deployment. Under dev auth (development only) it also gets the chain's RPC, to offer
     * the local chain's unlocked creator account as a wallet and to show receipts where no explorer exists; anyone may
     * act as anyone there already, and the RPC URL of a production deployment (which may carry an API key) never leaves.
     */
    private ConsoleSettings consoleSettings() {
        long chain = settings.chainId().value();
        boolean dev = settings.allowDevAuth() && settings.isDevelopment();
        return new ConsoleSettings(chain, sizing.batchSize(), ConsoleSettings.explorerFor(chain), dev,
                dev ? java.util.Optional.of(settings.rpcUrls().get(0)) : java.util.Optional.empty(), settings.quickAuthOrigin(),
                settings.miniApp());
    }

    /**
     * Starts delivering webhooks: core's dispatcher over the stored events and deliveries, POSTing with the JDK client,
     * on a thread of its own that this object stops when closed.
     */
    public WebhookDeliveryLoop startWebhookDelivery() {
        WebhookDispatcher dispatcher = new WebhookDispatcher(storage.webhooks(),
                new JdkWebhookSender(settings.webhooks().timeout()), clock, settings.webhooks(), domain);
        return keep(WebhookDeliveryLoop.start(dispatcher, settings.webhooks().pollInterval()));
    }

    /**
     * Throwaway signatures a worker makes before it takes batches, so its first drop signs with compiled code: about 0.4 s
     * of one core at start, see {@link BaseRpcChain#warmUpSigning}.
     */
    static final int SIGNING_WARM_UP = 256;

    /**
     * The distribution worker: {@code WORKER_CONCURRENCY} loops over the queue, each batch through core's exactly-once
     * processor, with the queue sweep and the nonce-health check running beside them. Signing is warmed up before it is
     * returned ({@link #SIGNING_WARM_UP}).
     *
     * @throws IllegalStateException when the settings were read for the server, without the minter key
     */
    public DistributionWorker worker() {
        if (!chain.settings().canSign()) {
            throw new IllegalStateException("the worker signs mints and needs MINTER_PRIVATE_KEY, but these settings were "
                    + "read for the server, which never reads the key");
        }
        DistributionSettings tuned = distribution.toBuilder().receiptPollInterval(receiptPollInterval()).build();
        BaseRpcChain.SigningWarmUp warmUp = chain.warmUpSigning(SIGNING_WARM_UP, sizing.batchSize());
        LOG.log(System.Logger.Level.INFO, "[worker] Signing warmed up: {0} throwaway mints of {1} recipients signed in"
                + " {2} ms with a made-up key, nothing sent", warmUp.signatures(), sizing.batchSize(),
                warmUp.took().toMillis());
        NewBlockWatcher blocks = keep(NewBlockWatcher.start(settings.webSocketUrl(), chain::blockNumber,
                tuned.receiptPollInterval()));
        BatchProcessor processor = new BatchProcessor(storage.campaigns(), storage.batches(), storage.transactionLedger(), chain,
                breaker, clock, tuned, identity, blocks, domain);
        domain.watchWorker(breaker, storage, queue, chain);
        return new DistributionWorker(queue, LogContext.around(processor, storage.batches()), storage.transactionLedger(),
                chain, sizing.workerConcurrency(), new QueueSweep(storage.batches(), queue), settings.queueSweep(),
                new NonceHealth(chain, storage.transactionLedger(), storage.batches(), distribution, clock),
                settings.nonceCheck());
    }

    /**
     * {@code RECEIPT_POLL_MS} when set; else a quarter of the block time measured now from the last 50 blocks' timestamps
     * (between 50 ms and 2 s); 1 s when the chain cannot be asked or is too young to measure.
     */
    private Duration receiptPollInterval() {
        if (settings.receiptPoll().isPresent()) {
            LOG.log(System.Logger.Level.INFO, "Receipt poll interval {0,number,#} ms (RECEIPT_POLL_MS)",
                    settings.receiptPoll().get().toMillis());
            return settings.receiptPoll().get();
        }
        try {
            Optional<Duration> blockTime = chain.measureBlockTime(50);
            if (blockTime.isPresent()) {
                Duration poll = NewBlockWatcher.pollIntervalFor(blockTime.get());
                LOG.log(System.Logger.Level.INFO, "Block time {0,number,#} ms measured over the last blocks; receipt poll"
                        + " interval {1,number,#} ms", blockTime.get().toMillis(), poll.toMillis());
                return poll;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not measure the block time ({0}); receipt poll interval 1000 ms",
                    e.getMessage());
            return DistributionSettings.DEFAULTS.receiptPollInterval();
        }
        LOG.log(System.Logger.Level.INFO, "The chain is too young to measure its block time; receipt poll interval 1000 ms");
        return DistributionSettings.DEFAULTS.receiptPollInterval();
    }

    /** The server's dependencies: PostgreSQL and Redis. */
    List<ReadinessCheck> serverReadinessChecks() {
        return List.of(ReadinessCheck.of("postgresql", this::checkPostgres), ReadinessCheck.of("redis", this::checkRedis));
    }

    /**
     * The worker's: PostgreSQL, Redis, the RPC endpoints (and the factory they show), this process's circuit breaker, and
     * whether the minter can pay for the next batch.
     */
    List<ReadinessCheck> workerReadinessChecks() {
        return List.of(ReadinessCheck.of("postgresql", this::checkPostgres), ReadinessCheck.of("redis", this::checkRedis),
                ReadinessCheck.of("rpc", this::checkChain), ReadinessCheck.of("breaker", this::checkBreaker),
                ReadinessCheck.of("minter", this::checkMinter));
    }

    /**
     * The worker's management endpoints ({@code /health}, {@code /health/ready}, {@code /metrics}) on
     * {@code HOST}:{@code MANAGEMENT_PORT}, not started.
     */
    public ManagementServer managementServer() {
        ManagementServer.Builder builder = ManagementServer.builder().host(settings.host()).port(settings.managementPort())
                .meterRegistry(metrics);
        workerReadinessChecks().forEach(builder::readinessCheck);
        return builder.build();
    }

    private ReadinessCheck.Result checkPostgres() throws Exception {
        long start = System.nanoTime();
        try (Connection connection = storage.dataSource().getConnection()) {
            boolean valid = connection.isValid(2);
            Map<String, Object> details = Map.of("latencyMs", millisSince(start));
            return valid ? ReadinessCheck.Result.up(details) : ReadinessCheck.Result.down("connection not valid", details);
        }
    }

    private ReadinessCheck.Result checkRedis() {
        long start = System.nanoTime();
        var counts = queue.counts();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("latencyMs", millisSince(start));
        details.put("queue", queue.settings().keyPrefix());
        details.put("waiting", counts.waiting() + counts.prioritized()); // batch jobs wait prioritized (campaigns share)
        details.put("active", counts.active());
        details.put("delayed", counts.delayed());
        details.put("failed", counts.failed());
        return ReadinessCheck.Result.up(details);
    }

    private ReadinessCheck.Result checkChain() {
        Readiness r = chain.readiness();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("chainId", settings.chainId().value());
        details.put("blockNumber", r.blockNumber());
        details.put("latencyMs", r.latency().toMillis());
        details.put("endpoint", r.endpoint());
        details.put("minter", r.minter().toString());
        details.put("minterBalanceWei", r.minterBalance().value().toString());
        details.put("factory", r.factory().toString());
        details.put("factoryExpectedDeployer", r.factoryMinter().map(Object::toString).orElse("none: no factory answers"));
        if (r.factoryMinter().isEmpty()) {
            return ReadinessCheck.Result.down("no factory contract answers at FACTORY_ADDRESS " + r.factory(), details);
        }
        details.put("factoryBindsCampaigns", r.factoryBindsCampaigns());
        if (!r.factoryBindsCampaigns()) {
            return ReadinessCheck.Result.down("the factory at FACTORY_ADDRESS " + r.factory() + " is an older version"
                    + " without predictCollection: collections it deploys are not bound to a campaign, and the deploy calls"
                    + " this version hands out fail on it. Deploy the current BaseNftFactory and set FACTORY_ADDRESS",
                    details);
        }
        if (!r.factoryMinterMatches()) {
            return ReadinessCheck.Result.down("the factory grants MINTER_ROLE to " + r.factoryMinter().get()
                    + ", not to our minter " + r.minter() + " (DEPLOYER_ADDRESS)", details);
        }
        return ReadinessCheck.Result.up(details);
    }

    /**
     * Whether the minter can pay for the next batch at the worst it may cost: its gas limit (the last one this process
     * signed, or an estimate for {@code BATCH_SIZE} recipients before any) at the max fee it would be signed with (market,
     * up to the ceiling), plus the L1 data fee bound where the chain charges one.
     */
    private ReadinessCheck.Result checkMinter() {
        Wei balance = chain.balance(chain.minter());
        Wei market = chain.currentFees().maxFeePerGas();
        Wei maxFee = market.isGreaterThan(settings.maxFeePerGas()) ? settings.maxFeePerGas() : market;
        java.util.OptionalLong signed = domain.lastGasLimit();
        long gasLimit = signed.orElse(Math.min(chain.settings().gasCap(),
                estimatedBatchGas(sizing.batchSize())));
        Optional<Wei> l1 = chain.l1DataFeeUpperBound(sizing.batchSize());
        Wei required = maxFee.times(gasLimit).plus(l1.orElse(Wei.ZERO));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("minter", chain.minter().toString());
        details.put("balanceWei", balance.value().toString());
        details.put("nextBatchCostWei", required.value().toString());
        details.put("gasLimit", gasLimit);
        details.put("gasLimitFrom", signed.isPresent() ? "the last transaction this worker signed"
                : "an estimate for a batch of " + sizing.batchSize() + " recipients (no transaction signed yet)");
        details.put("maxFeePerGasWei", maxFee.value().toString());
        details.put("l1DataFeeWei", l1.map(w -> w.value().toString())
                .orElse("0: no GasPriceOracle on this chain, so no L1 data fee (a local chain such as anvil)"));
        if (required.isGreaterThan(balance)) {
            return ReadinessCheck.Result.down("Minter balance too low: the minter wallet " + chain.minter() + " holds "
                    + balance.value() + " wei but the next batch may cost up to " + required.value() + " wei (gas limit "
                    + gasLimit + " × max fee " + maxFee.value() + " wei + L1 data fee " + l1.orElse(Wei.ZERO).value()
                    + " wei); batches wait until it is funded", details);
        }
        return ReadinessCheck.Result.up(details);
    }

    private ReadinessCheck.Result checkBreaker() {
        // The breaker of this process: each worker reports its own on its management port.
        Map<String, Object> details = Map.of("state", breaker.state().toString(),
                "failureThreshold", breaker.config().failureThreshold(),
                "cooldownSeconds", breaker.config().cooldown().toSeconds());
        return breaker.state() == CircuitState.OPEN ? ReadinessCheck.Result.down("Circuit breaker OPEN", details)
                : ReadinessCheck.Result.up(details);
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    public Settings settings() {
        return settings;
    }

    public PostgresStorage storage() {
        return storage;
    }

    public RedisDistributionQueue queue() {
        return queue;
    }

    public BaseRpcChain chain() {
        return chain;
    }

    public CampaignService campaigns() {
        return campaigns;
    }

    /** The batch size, in-flight cap and concurrency this process runs with, and where they came from. */
    public ChainSizing sizing() {
        return sizing;
    }

    /** Closes the chain gateway, the queue and the pool, newest first; a part that fails to close does not stop the rest. */
    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable part = opened.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + part.getClass().getSimpleName() + " failed: " + e);
            }
        }
    }
}
