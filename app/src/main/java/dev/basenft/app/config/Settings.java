package dev.basenft.app.config;

import dev.basenft.adapter.base.rpc.BaseRpcSettings;
import dev.basenft.adapter.http.javalin.ConsoleSettings;
import dev.basenft.adapter.http.javalin.HttpSettings;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Wei;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WebhookSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the server and worker read from the environment, validated at once: {@link #fromEnvironment} either returns a
 * complete, valid value or throws a {@link ConfigurationException} naming every bad variable.
 *
 * <p>Least privilege: the minter key is read only for a {@link Role#WORKER} (the worker, and {@code dev}, which runs one);
 * the server never signs, so its settings never hold the key. {@link #toString()} never shows the key. Immutable and
 * thread-safe.
 *
 * @param databaseUrl JDBC or {@code postgres://} URL
 * @param databasePoolSize connections in this process's PostgreSQL pool
 * @param redisUri {@code redis://host:port[/db]}
 * @param rpcUrls Base RPC endpoints in failover order; at least one
 * @param chainId the chain the RPC must report
 * @param factoryAddress the collection factory
 * @param deployerAddress the minter the factory grants MINTER_ROLE to; must be the minter key's address
 * @param minterPrivateKey {@code 0x} and 64 hex digits; secret; present exactly when read for a {@link Role#WORKER}
 * @param appDomain the {@code aud} Quick Auth tokens must carry
 * @param appEnvironment {@code development}, {@code test} or {@code production}
 * @param allowDevAuth dev tokens accepted (development only)
 * @param quickAuthOrigin issuer and JWKS origin of Quick Auth tokens
 * @param host the interface the HTTP server binds ({@code 0.0.0.0} every one, {@code 127.0.0.1} this machine only)
 * @param port HTTP port
 * @param corsOrigins browser origins allowed to call the API from their pages; empty for none
 * @param batchSize recipients per batch: {@code BATCH_SIZE}, or 200 when unset (then only the fallback of chain sizing)
 * @param breakerFailureThreshold consecutive RPC failures that open the breaker
 * @param breakerCooldown how long it stays open
 * @param jobAttempts attempts per batch job before it fails
 * @param maxFeePerGas the fee ceiling
 * @param maxInFlight batches with unmined transactions at once: {@code MAX_IN_FLIGHT}, or the fallback 8
 * @param workerConcurrency batches a worker process drives in parallel: {@code WORKER_CONCURRENCY}, or the fallback 8
 * @param batchLease how long a worker's claim on a batch lasts before another worker may take it over
 * @param receiptTimeout how long one attempt waits for a receipt before parking the batch; shorter than {@code batchLease}
 * @param stuckAfter how long a pending transaction may wait before it is replaced on the same nonce with higher fees
 * @param waitDelay how long a batch waiting for fees, balance, a pending receipt or an in-flight slot is delayed
 * @param queueLockDuration how long a taken queue job stays locked without renewal; also how often stalled jobs are
 *     looked for
 * @param rpcTimeout one JSON-RPC call's timeout
 * @param queueSweep how often a worker checks that every open batch has a live queue job
 * @param miniApp the Farcaster mini app's manifest and embed ({@code FARCASTER_*}, {@code MINIAPP_*}); empty while unset
 * @param logsBlockRange the widest block range one {@code eth_getLogs} asks the RPC for, when a mint is looked for
 * @param nonceCheck how often a worker compares the minter's nonces on chain with the ledger and fills gaps
 * @param managementPort the worker's port for {@code /health}, {@code /health/ready} and {@code /metrics}, on {@code host};
 *     0 picks a free one ({@code dev} serves them on {@code port} instead)
 * @param confirmations blocks built on top of a mint's block before its batch is settled, 0 to
 *     {@link DistributionSettings#MAX_CONFIRMATIONS}; by default {@link #defaultConfirmations} of {@code chainId}
 * @param explicitBatchSize {@code BATCH_SIZE} when set; empty to size batches from the chain ({@code batchSize} is then
 *     the fallback for when the chain cannot be read at start)
 * @param explicitMaxInFlight {@code MAX_IN_FLIGHT} when set; empty to size it from the chain ({@code maxInFlight} is the
 *     fallback)
 * @param explicitWorkerConcurrency {@code WORKER_CONCURRENCY} when set; empty to size it from the chain
 *     ({@code workerConcurrency} is the fallback)
 * @param gasMarginPercent {@code GAS_MARGIN_PERCENT}: what the worker adds to {@code eth_estimateGas} of a mint, and what
 *     batch sizing counts on, 0 to 100 (default {@link BaseRpcSettings#DEFAULT_GAS_MARGIN_PERCENT})
 * @param receiptPoll the longest pause between two looks for a receipt ({@code RECEIPT_POLL_MS}); empty (the default) to
 *     derive it from the block time measured at start
 * @param webSocketUrl where the worker subscribes to new blocks ({@code BASE_WS_URL}); by default derived from the first
 *     {@code BASE_RPC_URL} (ws for http, wss for https); empty ({@code off}) to poll {@code eth_blockNumber} only
 * @param sendSync whether broadcasts try {@code eth_sendRawTransactionSync} first ({@code SEND_SYNC=auto}) or never
 *     ({@code off}, the default: see {@code BaseRpcSettings#sendSync})
 * @param acceptPreconfirmations whether a Flashblocks preconfirmed receipt counts as mined at depth 0
 *     ({@code ACCEPT_PRECONFIRMATIONS}, default false)
 * @param webhooks how webhook deliveries are tried ({@code WEBHOOK_*}); plain-http receivers on other hosts than loopback
 *     are accepted only with {@code APP_ENV=development}
 * @param webhookDelivery whether a worker (and {@code dev}) delivers webhooks ({@code WEBHOOK_DELIVERY=on}, the default) or
 *     leaves them to other workers ({@code off}); events are recorded either way
 */
public record Settings(
        String databaseUrl,
        int databasePoolSize,
        URI redisUri,
        List<URI> rpcUrls,
        ChainId chainId,
        Address factoryAddress,
        Address deployerAddress,
        Optional<String> minterPrivateKey,
        String appDomain,
        String appEnvironment,
        boolean allowDevAuth,
        URI quickAuthOrigin,
        String host,
        int port,
        List<String> corsOrigins,
        int batchSize,
        int breakerFailureThreshold,
        Duration breakerCooldown,
        int jobAttempts,
        Wei maxFeePerGas,
        int maxInFlight,
        int workerConcurrency,
        Duration batchLease,
        Duration receiptTimeout,
        Duration stuckAfter,
        Duration waitDelay,
        Duration queueLockDuration,
        Duration rpcTimeout,
        Duration queueSweep,
        Optional<ConsoleSettings.MiniApp> miniApp,
        int logsBlockRange,
        Duration nonceCheck,
        int managementPort,
        int confirmations,
        OptionalInt explicitBatchSize,
        OptionalInt explicitMaxInFlight,
        OptionalInt explicitWorkerConcurrency,
        int gasMarginPercent,
        Optional<Duration> receiptPoll,
        Optional<URI> webSocketUrl,
        boolean sendSync,
        boolean acceptPreconfirmations,
        WebhookSettings webhooks,
        boolean webhookDelivery) {

    /** What the process does, which decides whether it may read the minter key. */
    public enum Role {
        /** The HTTP API: reads the chain, never signs, so the minter key is not read even when set. */
        SERVER,
        /** Signs mints (the worker, and {@code dev}, which runs one): the minter key is required. */
        WORKER
    }

    /** Base mainnet's chain id; Base Sepolia's is {@link #BASE_SEPOLIA}. */
    static final long BASE_MAINNET = 8453;
    static final long BASE_SEPOLIA = 84532;
    /** anvil's and hardhat's chain id. */
    static final long LOCAL_CHAIN = 31337;

    /**
     * Confirmations on Base (mainnet and Sepolia): 10 blocks, 20 s at Base's 2 s blocks. Base's sequencer publishes blocks
     * before they are posted to Ethereum; a reorganisation of that recent head is rare and shallow when it happens, and a
     * failover to an RPC endpoint that follows another head looks the same to the worker. Ten blocks outlast both for about
     * 20 s more per batch. They do not protect against an Ethereum reorganisation of Base's posted batches: that needs
     * L1 finality (over 15 minutes), set CONFIRMATIONS accordingly if that risk matters more than the wait.
     */
    public static final int BASE_CONFIRMATIONS = 10;

    /**
     * Confirmations on a chain this project does not know: 64 blocks, two Ethereum epochs, after which an Ethereum-like
     * proof-of-stake chain has finalised them (about 13 minutes at 12 s blocks, 2 minutes at 2 s). Safe rather than fast;
     * set CONFIRMATIONS for the chain at hand.
     */
    public static final int UNKNOWN_CHAIN_CONFIRMATIONS = 64;

    /** The interface the server binds unless {@code HOST} says otherwise; {@code dev} defaults to loopback instead. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    /** Hosts a plain-http Quick Auth origin may have in production: nothing leaves the machine. */
    private static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "[::1]", "localhost");

    public Settings {
        rpcUrls = List.copyOf(rpcUrls);
        corsOrigins = List.copyOf(corsOrigins);
        Objects.requireNonNull(minterPrivateKey, "minterPrivateKey");
        Objects.requireNonNull(miniApp, "miniApp");
        Objects.requireNonNull(nonceCheck, "nonceCheck");
        Objects.requireNonNull(explicitBatchSize, "explicitBatchSize");
        Objects.requireNonNull(explicitMaxInFlight, "explicitMaxInFlight");
        Objects.requireNonNull(explicitWorkerConcurrency, "explicitWorkerConcurrency");
        Objects.requireNonNull(receiptPoll, "receiptPoll");
        Objects.requireNonNull(webSocketUrl, "webSocketUrl");
        Objects.requireNonNull(webhooks, "webhooks");
        if (databasePoolSize < 1) {
            throw new IllegalArgumentException("databasePoolSize must be at least 1, got " + databasePoolSize);
        }
    }

    /**
     * Reads and validates the settings of a process that signs ({@link Role#WORKER}).
     *
     * @param env the process environment (e.g. {@link System#getenv()}); never null
     * @throws ConfigurationException listing every missing or invalid variable by name
     */
    public static Settings fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, Role.WORKER);
    }

    /**
     * Reads and validates the settings {@code role} needs.
     *
     * @param env the process environment (e.g. {@link System#getenv()}); never null
     * @param role what the process does; never null
     * @throws ConfigurationException listing every missing or invalid variable by name
     */
    public static Settings fromEnvironment(Map<String, String> env, Role role) {
        Objects.requireNonNull(role, "role");
        Environment e = new Environment(env);
        Optional<String> databaseUrl = e.required("DATABASE_URL", "the PostgreSQL database, e.g. postgresql://user@host:5432/db");
        // Per process: the server's request threads and the worker's batches share it. More connections than the database
        // has cores mostly adds contention there; the bench (app/bench) is how to choose for a machine.
        int databasePoolSize = e.integer("DATABASE_POOL_SIZE", 10, 1, 200);
        URI redis = redisUri(e);
        List<URI> rpcUrls = rpcUrls(e);
        ChainId chainId = e.parsed("CHAIN_ID", ChainId.BASE, text -> new ChainId(Environment.wholeNumber(text)), "a positive chain id",
                "NEXT_PUBLIC_CHAIN_ID").orElse(ChainId.BASE);
        Optional<Address> factory = address(e, "FACTORY_ADDRESS", "NEXT_PUBLIC_FACTORY_ADDRESS");
        Optional<Address> deployer = address(e, "DEPLOYER_ADDRESS", "NEXT_PUBLIC_DEPLOYER_ADDRESS");
        // The server is left without the key on purpose: a compromised API must not be able to spend the minter's funds.
        Optional<String> key = role == Role.WORKER
                ? e.secret("MINTER_PRIVATE_KEY", "the minter wallet's key signs every mint")
                : Optional.empty();
        if (key.isPresent() && !key.get().matches("(0x)?[0-9a-fA-F]{64}")) {
            e.problem("MINTER_PRIVATE_KEY must be 64 hex digits (optionally 0x-prefixed); the value is not shown");
            key = Optional.empty();
        }
        Optional<String> domain = e.required("APP_DOMAIN", "Quick Auth tokens are checked against it (aud)",
                "NEXT_PUBLIC_APP_DOMAIN");
        String environment = e.text("APP_ENV", "production", "NODE_ENV").toLowerCase(Locale.ROOT);
        if (!List.of("development", "test", "production").contains(environment)) {
            e.problem("APP_ENV must be development, test or production, got '" + environment + "'");
        }
        boolean devAuth = e.flag("ALLOW_DEV_AUTH", false);
        if (devAuth && !environment.equals("development")) {
            e.problem("ALLOW_DEV_AUTH=true is only allowed with APP_ENV=development (or NODE_ENV=development); "
                    + "it would let anyone act as any user. APP_ENV is '" + environment + "'");
        }
        URI origin = e.parsed("QUICK_AUTH_ORIGIN", URI.create("https://auth.farcaster.xyz"), Settings::httpUri,
                "an http(s) origin such as https://auth.farcaster.xyz").orElse(null);
        if (origin != null && environment.equals("production") && "http".equals(origin.getScheme())
                && !LOOPBACK_HOSTS.contains(origin.getHost().toLowerCase(Locale.ROOT))) {
            // The signing keys come from this origin: over plain http anyone on the path could swap them and be anyone.
            e.problem("QUICK_AUTH_ORIGIN must be https in production, got '" + origin + "': the JWKS is fetched from it, and "
                    + "over plain http anyone on the network path could replace the keys; http is accepted only for a "
                    + "loopback host (127.0.0.1, [::1], localhost), such as an issuer on this machine");
        }
        String host = e.parsed("HOST", DEFAULT_HOST, Settings::host,
                "an interface address such as 0.0.0.0 (every interface) or 127.0.0.1 (this machine only)")
                .orElse(DEFAULT_HOST);
        int port = e.integer("PORT", 3000, 0, 65535);
        List<String> corsOrigins = corsOrigins(e);
        int batchSize = e.integer("BATCH_SIZE", 200, 1, 349);
        int threshold = e.integer("BREAKER_FAILURE_THRESHOLD", 5, 1, 1000);
        int cooldownSeconds = e.integer("BREAKER_COOLDOWN_SECONDS", 30, 1, 3600);
        int attempts = e.integer("JOB_ATTEMPTS", 3, 1, 100);
        int maxFeeGwei = e.integer("MAX_FEE_PER_GAS_GWEI", 50, 1, 100_000);
        int maxInFlight = e.integer("MAX_IN_FLIGHT", 8, 1, 1000);
        int concurrency = e.integer("WORKER_CONCURRENCY", 8, 1, 256);
        // The worker's timings. The defaults are what production runs with; shorter values exist so that tests which crash
        // and fault the worker on purpose (the torture module) see recoveries within seconds instead of minutes.
        int leaseSeconds = e.integer("BATCH_LEASE_SECONDS", 120, 1, 86_400);
        int receiptSeconds = e.integer("RECEIPT_TIMEOUT_SECONDS", 60, 1, 86_400);
        if (receiptSeconds >= leaseSeconds) {
            // A worker still waiting for its receipt after its lease ran out would share the batch with the worker that
            // took it over.
            e.problem("RECEIPT_TIMEOUT_SECONDS (" + receiptSeconds + ") must be shorter than BATCH_LEASE_SECONDS ("
                    + leaseSeconds + "), or another worker could take a batch over while this one still waits for its receipt");
        }
        int stuckSeconds = e.integer("STUCK_AFTER_SECONDS", 90, 1, 86_400);
        int waitSeconds = e.integer("WAIT_DELAY_SECONDS", 15, 1, 3600);
        int queueLockSeconds = e.integer("QUEUE_LOCK_SECONDS", 30, 1, 3600);
        int rpcTimeoutSeconds = e.integer("RPC_TIMEOUT_SECONDS", 10, 1, 600);
        int sweepSeconds = e.integer("QUEUE_SWEEP_SECONDS", 60, 1, 86_400);
        Optional<ConsoleSettings.MiniApp> miniApp = miniApp(e);
        // Read by logback.xml itself (it picks the appender of that name); checked here so a typo stops the process with
        // the other settings' problems instead of silencing every log line.
        String logFormat = e.text("LOG_FORMAT", "plain");
        if (!logFormat.equals("plain") && !logFormat.equals("json")) {
            e.problem("LOG_FORMAT must be plain or json, got '" + logFormat + "'");
        }
        int logsBlockRange = e.integer("LOGS_BLOCK_RANGE", 2000, 1, 1_000_000);
        int nonceCheckSeconds = e.integer("NONCE_CHECK_SECONDS", 30, 1, 86_400);
        // 9464: the port commonly used for a Prometheus exporter of an application, apart from the API's PORT.
        int managementPort = e.integer("MANAGEMENT_PORT", 9464, 0, 65535);
        int fallbackConfirmations = defaultConfirmations(chainId);
        int confirmations = e.integer("CONFIRMATIONS", fallbackConfirmations, 0, DistributionSettings.MAX_CONFIRMATIONS);
        // Set values win; unset ones are sized from the chain's block gas limit at start (ChainSizing), the values above
        // being the fallback when the chain cannot be read then.
        OptionalInt explicitBatchSize = explicit(e, "BATCH_SIZE", batchSize);
        OptionalInt explicitMaxInFlight = explicit(e, "MAX_IN_FLIGHT", maxInFlight);
        OptionalInt explicitConcurrency = explicit(e, "WORKER_CONCURRENCY", concurrency);
        int gasMarginPercent = e.integer("GAS_MARGIN_PERCENT", BaseRpcSettings.DEFAULT_GAS_MARGIN_PERCENT, 0, 100);
        Optional<Duration> receiptPoll = e.optionalText("RECEIPT_POLL_MS").isEmpty() ? Optional.empty()
                : Optional.of(Duration.ofMillis(e.integer("RECEIPT_POLL_MS", 1000, 10, 60_000)));
        Optional<URI> webSocketUrl = webSocketUrl(e, rpcUrls);
        String sendSync = e.text("SEND_SYNC", "off").toLowerCase(Locale.ROOT);
        if (!sendSync.equals("auto") && !sendSync.equals("off")) {
            e.problem("SEND_SYNC must be auto or off, got '" + sendSync + "'");
        }
        boolean acceptPreconfirmations = e.flag("ACCEPT_PRECONFIRMATIONS", false);
        WebhookSettings webhooks = webhooks(e, environment);
        String delivery = e.text("WEBHOOK_DELIVERY", "on").toLowerCase(Locale.ROOT);
        if (!delivery.equals("on") && !delivery.equals("off")) {
            e.problem("WEBHOOK_DELIVERY must be on or off, got '" + delivery + "'");
        }
        if (!e.problems().isEmpty()) {
            throw new ConfigurationException(e.problems());
        }
        return new Settings(databaseUrl.orElseThrow(), databasePoolSize, redis, rpcUrls, chainId, factory.orElseThrow(),
                deployer.orElseThrow(), key, domain.orElseThrow(), environment, devAuth, origin, host, port, corsOrigins,
                batchSize,
                threshold, Duration.ofSeconds(cooldownSeconds), attempts, Wei.gwei(maxFeeGwei), maxInFlight, concurrency,
                Duration.ofSeconds(leaseSeconds), Duration.ofSeconds(receiptSeconds), Duration.ofSeconds(stuckSeconds),
                Duration.ofSeconds(waitSeconds), Duration.ofSeconds(queueLockSeconds), Duration.ofSeconds(rpcTimeoutSeconds),
                Duration.ofSeconds(sweepSeconds), miniApp, logsBlockRange, Duration.ofSeconds(nonceCheckSeconds),
                managementPort, confirmations, explicitBatchSize, explicitMaxInFlight, explicitConcurrency,
                gasMarginPercent, receiptPoll, webSocketUrl, sendSync.equals("auto"), acceptPreconfirmations, webhooks,
                delivery.equals("on"));
    }

    /**
     * The {@code WEBHOOK_*} variables. The lease a delivery is claimed for is the timeout plus 5 s: long enough that a slow
     * POST keeps its claim, short enough that a crashed worker's deliveries are tried again within seconds.
     */
    private static WebhookSettings webhooks(Environment e, String environment) {
        int maxAttempts = e.integer("WEBHOOK_MAX_ATTEMPTS", 8, 1, 100);
        int backoffMs = e.integer("WEBHOOK_BACKOFF_MS", 5_000, 10, 3_600_000);
        int maxBackoffSeconds = e.integer("WEBHOOK_MAX_BACKOFF_SECONDS", 600, 1, 86_400);
        int timeoutMs = e.integer("WEBHOOK_TIMEOUT_MS", 10_000, 100, 120_000);
        int pollMs = e.integer("WEBHOOK_POLL_MS", 1_000, 10, 60_000);
        Duration backoff = Duration.ofMillis(backoffMs);
        Duration maxBackoff = Duration.ofSeconds(maxBackoffSeconds);
        if (maxBackoff.compareTo(backoff) < 0) {
            e.problem("WEBHOOK_MAX_BACKOFF_SECONDS (" + maxBackoffSeconds + ") must be at least WEBHOOK_BACKOFF_MS ("
                    + backoffMs + " ms)");
            maxBackoff = backoff;
        }
        Duration timeout = Duration.ofMillis(timeoutMs);
        return new WebhookSettings(environment.equals("development"), maxAttempts, backoff, maxBackoff, timeout,
                timeout.plusSeconds(5), Duration.ofMillis(pollMs));
    }

    /** {@code value} when {@code name} is set in the environment, empty when it is not. */
    private static OptionalInt explicit(Environment e, String name, int value) {
        return e.optionalText(name).isPresent() ? OptionalInt.of(value) : OptionalInt.empty();
    }

    /**
     * {@code BASE_WS_URL}: unset or {@code auto} derives the WebSocket URL of the first RPC endpoint (anvil, geth and most
     * providers serve both on one URL; where one does not, the worker logs the failed connection and polls); {@code off}
     * polls only; anything else must be a ws(s) URL.
     */
    private static Optional<URI> webSocketUrl(Environment e, List<URI> rpcUrls) {
        String value = e.text("BASE_WS_URL", "auto");
        if (value.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        if (value.equalsIgnoreCase("auto")) {
            if (rpcUrls.isEmpty()) {
                return Optional.empty();
            }
            URI rpc = rpcUrls.get(0);
            return Optional.of(URI.create(("https".equals(rpc.getScheme()) ? "wss" : "ws")
                    + rpc.toString().substring(rpc.getScheme().length())));
        }
        try {
            URI uri = URI.create(value);
            if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not ws(s)");
            }
            return Optional.of(uri);
        } catch (IllegalArgumentException ex) {
            // May hold an API key: the value is not shown.
            e.problem("BASE_WS_URL must be auto, off, or a ws:// or wss:// URL (the value is not shown)");
            return Optional.empty();
        }
    }

    /**
     * The mini app: all of the account association and the app's name and URLs, or none of them (then the manifest route
     * answers 404). Half a configuration is a mistake worth stopping for: a client would reject the app.
     */
    private static Optional<ConsoleSettings.MiniApp> miniApp(Environment e) {
        List<String> required = List.of("FARCASTER_HEADER", "FARCASTER_PAYLOAD", "FARCASTER_SIGNATURE", "MINIAPP_NAME",
                "MINIAPP_HOME_URL", "MINIAPP_ICON_URL", "MINIAPP_IMAGE_URL");
        List<String> missing = required.stream().filter(name -> e.optionalText(name).isEmpty()).toList();
        if (missing.size() == required.size()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            e.problem("the Farcaster mini app is half configured: " + String.join(", ", missing) + " missing (set all of "
                    + String.join(", ", required) + ", or none)");
            return Optional.empty();
        }
        String icon = e.optionalText("MINIAPP_ICON_URL").orElseThrow();
        try {
            return Optional.of(new ConsoleSettings.MiniApp(e.optionalText("FARCASTER_HEADER").orElseThrow(),
                    e.optionalText("FARCASTER_PAYLOAD").orElseThrow(), e.optionalText("FARCASTER_SIGNATURE").orElseThrow(),
                    e.optionalText("MINIAPP_NAME").orElseThrow(), URI.create(icon),
                    URI.create(e.optionalText("MINIAPP_HOME_URL").orElseThrow()),
                    URI.create(e.optionalText("MINIAPP_IMAGE_URL").orElseThrow()), e.text("MINIAPP_BUTTON_TITLE", "Open"),
                    URI.create(e.text("MINIAPP_SPLASH_IMAGE_URL", icon)), e.text("MINIAPP_SPLASH_BACKGROUND_COLOR", "#0052ff")));
        } catch (IllegalArgumentException ex) {
            // MiniApp names the field; say which variable holds it.
            e.problem("the Farcaster mini app settings (FARCASTER_*, MINIAPP_*) are invalid: " + ex.getMessage());
            return Optional.empty();
        }
    }

    private static URI redisUri(Environment e) {
        Optional<String> url = e.optionalText("REDIS_URL");
        if (url.isPresent()) {
            return e.parsed("REDIS_URL", null, text -> {
                URI uri = URI.create(text);
                if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("expected redis://host:port");
                }
                return uri;
            }, "a redis://host:port URL").orElse(null);
        }
        String host = e.text("REDIS_HOST", "127.0.0.1");
        int port = e.integer("REDIS_PORT", 6379, 1, 65535);
        try {
            return new URI("redis", null, host, port, null, null, null);
        } catch (java.net.URISyntaxException ex) {
            e.problem("REDIS_HOST is not a valid host name: '" + host + "'");
            return null;
        }
    }

    /**
     * An interface to bind: an IPv4 or IPv6 literal or a host name. Only the form is checked here; whether this machine has
     * it shows when the server binds.
     */
    private static String host(String text) {
        boolean name = text.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?");
        boolean ipv6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (!name && !ipv6) {
            throw new IllegalArgumentException("not an IP address or host name");
        }
        return text;
    }

    private static List<String> corsOrigins(Environment e) {
        Optional<String> value = e.optionalText("CORS_ORIGINS");
        List<String> origins = new ArrayList<>();
        if (value.isEmpty()) {
            return origins;
        }
        String[] parts = value.get().split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String origin = parts[i].strip();
            int index = i;
            HttpSettings.corsOriginProblem(origin).ifPresentOrElse(
                    problem -> e.problem("CORS_ORIGINS entry " + (index + 1) + " of " + parts.length + " " + problem),
                    () -> origins.add(origin));
        }
        return origins;
    }

    static List<URI> rpcUrls(Environment e) {
        Optional<String> value = e.required("BASE_RPC_URL", "one or more Base JSON-RPC URLs, comma-separated, in failover order");
        List<URI> urls = new ArrayList<>();
        if (value.isEmpty()) {
            return urls;
        }
        String[] parts = value.get().split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            try {
                urls.add(httpUri(part));
            } catch (RuntimeException ex) {
                // Provider URLs often embed an API key in the path: name the position, not the value.
                e.problem("BASE_RPC_URL entry " + (i + 1) + " of " + parts.length + " is not an http(s) URL");
            }
        }
        return urls;
    }

    static Optional<Address> address(Environment e, String name, String alias) {
        Optional<String> raw = e.required(name, "an 0x address", alias);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        return e.parsed(name, null, Address::parse, "an EIP-55 or lower-case 0x address", alias);
    }

    private static URI httpUri(String text) {
        URI uri = URI.create(text);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected http(s)://host");
        }
        return uri;
    }

    /**
     * How many confirmations a chain gets when {@code CONFIRMATIONS} is not set: {@link #BASE_CONFIRMATIONS} on Base mainnet
     * and Base Sepolia; 0 on a local anvil (31337), which with automine makes a block only for a transaction, so no depth
     * above 0 would ever be reached; {@link #UNKNOWN_CHAIN_CONFIRMATIONS} anywhere else.
     */
    public static int defaultConfirmations(ChainId chainId) {
        Objects.requireNonNull(chainId, "chainId");
        return chainId.value() == BASE_MAINNET || chainId.value() == BASE_SEPOLIA ? BASE_CONFIRMATIONS
                : chainId.value() == LOCAL_CHAIN ? 0 : UNKNOWN_CHAIN_CONFIRMATIONS;
    }

    /** True in development, where dev conveniences (dev auth) may be on. */
    public boolean isDevelopment() {
        return appEnvironment.equals("development");
    }

    @Override
    public String toString() {
        return "Settings[databaseUrl=" + redactCredentials(databaseUrl) + ", databasePoolSize=" + databasePoolSize
                + ", redisUri=" + redactCredentials(redisUri.toString())
                + ", rpcUrls=" + rpcUrls.stream().map(u -> u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":"
                + u.getPort() : "") + "/…").toList()
                + ", chainId=" + chainId + ", factoryAddress=" + factoryAddress + ", deployerAddress=" + deployerAddress
                + ", minterPrivateKey=" + (minterPrivateKey.isPresent() ? "<redacted>" : "<not read>") + ", appDomain="
                + appDomain + ", appEnvironment=" + appEnvironment + ", allowDevAuth=" + allowDevAuth + ", quickAuthOrigin="
                + quickAuthOrigin + ", host=" + host + ", port=" + port + ", corsOrigins=" + corsOrigins
                + ", batchSize=" + batchSize + ", breakerFailureThreshold=" + breakerFailureThreshold + ", breakerCooldown="
                + breakerCooldown + ", jobAttempts=" + jobAttempts + ", maxFeePerGas=" + maxFeePerGas + ", maxInFlight="
                + maxInFlight + ", workerConcurrency=" + workerConcurrency + ", batchLease=" + batchLease
                + ", receiptTimeout=" + receiptTimeout + ", stuckAfter=" + stuckAfter + ", waitDelay=" + waitDelay
                + ", queueLockDuration=" + queueLockDuration + ", rpcTimeout=" + rpcTimeout + ", queueSweep=" + queueSweep
                + ", miniApp=" + miniApp.map(m -> m.name() + " at " + m.homeUrl()).orElse("not configured")
                + ", logsBlockRange=" + logsBlockRange + ", nonceCheck=" + nonceCheck
                + ", managementPort=" + managementPort + ", confirmations=" + confirmations
                + ", explicitBatchSize=" + explicitBatchSize + ", explicitMaxInFlight=" + explicitMaxInFlight
                + ", explicitWorkerConcurrency=" + explicitWorkerConcurrency + ", gasMarginPercent=" + gasMarginPercent
                + ", receiptPoll=" + receiptPoll.map(Duration::toString).orElse("from the block time")
                + ", webSocketUrl=" + webSocketUrl.map(u -> u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":"
                + u.getPort() : "") + "/…").orElse("off") + ", sendSync=" + sendSync + ", acceptPreconfirmations="
                + acceptPreconfirmations + ", webhooks=" + webhooks + ", webhookDelivery=" + webhookDelivery + "]";
    }

    /** {@link #databaseUrl()} with any password or user info replaced, for logs and error messages. */
    public String redactedDatabaseUrl() {
        return redactCredentials(databaseUrl);
    }

    private static String redactCredentials(String url) {
        return url.replaceAll("//[^/@]*@", "//<credentials>@").replaceAll("(?i)(password=)[^&]*", "$1<redacted>");
    }
}
