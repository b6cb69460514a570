package dev.basenft.app.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basenft.adapter.base.rpc.BaseRpcChain;
import dev.basenft.adapter.base.rpc.Readiness;
import dev.basenft.adapter.postgres.PostgresStorage;
import dev.basenft.adapter.redis.QueueCounts;
import dev.basenft.adapter.redis.RedisDistributionQueue;
import dev.basenft.app.wiring.Components;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Wei;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The runbook's checks in one read-only pass: each check gives one {@link Finding} in words, and a check that cannot run
 * (its service is down) is itself a failure that says why. Nothing is written anywhere: no migration, no job, no
 * transaction. Not thread-safe; run once.
 */
public final class Doctor {

    /** An open batch untouched for this long is worth a look (a healthy one is touched every few seconds). */
    static final Duration STUCK_AFTER = Duration.ofMinutes(10);
    /** Below this many batches' worth of gas the minter's balance is a warning: a drop runs dry soon. */
    static final int LOW_BALANCE_BATCHES = 10;
    private static final int LISTED = 5;
    private static final int PAGE = 1_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresStorage storage;
    private final RedisDistributionQueue queue;
    private final BaseRpcChain chain;
    private final Address minter;
    private final int batchSize;
    private final InstantSource clock;
    private final List<URI> workerManagement;

    /**
     * @param minter {@code DEPLOYER_ADDRESS}, the wallet that mints
     * @param batchSize recipients per batch, to price the next batch
     * @param workerManagement the workers' management addresses ({@code http://host:MANAGEMENT_PORT}), whose
     *     {@code /health/ready} tells each one's breaker; empty to skip that check
     */
    public Doctor(PostgresStorage storage, RedisDistributionQueue queue, BaseRpcChain chain, Address minter, int batchSize,
            InstantSource clock, List<URI> workerManagement) {
        this.workerManagement = List.copyOf(Require.notNull("workerManagement", workerManagement));
        this.storage = Require.notNull("storage", storage);
        this.queue = Require.notNull("queue", queue);
        this.chain = Require.notNull("chain", chain);
        this.minter = Require.notNull("minter", minter);
        this.batchSize = Require.between("batchSize", batchSize, 1, 10_000);
        this.clock = Require.notNull("clock", clock);
    }

    /** Every check, in the runbook's order; never empty. */
    public List<Finding> examine() {
        List<Finding> findings = new ArrayList<>();
        findings.add(check("schema", this::schema));
        findings.add(check("queue", this::queueCounts));
        findings.add(check("workers", this::workers));
        for (URI worker : workerManagement) {
            findings.add(check("breaker", () -> breaker(worker)));
        }
        findings.add(check("batches", this::batches));
        Optional<Readiness> chainState = Optional.empty();
        try {
            chainState = Optional.of(chain.readiness());
            findings.add(chainFinding(chainState.get()));
        } catch (RuntimeException e) {
            findings.add(Finding.fail("chain", "no RPC endpoint answered: " + e.getMessage()));
        }
        if (chainState.isPresent()) {
            Readiness state = chainState.get();
            findings.add(check("factory", () -> factory(state)));
            findings.add(check("minter", () -> balance(state)));
            findings.add(check("nonces", this::nonces));
        }
        return findings;
    }

    private static Finding check(String name, Supplier<Finding> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return Finding.fail(name, "could not check: " + e.getMessage());
        }
    }

    private Finding schema() {
        PostgresStorage.SchemaStatus status = storage.schemaStatus();
        String at = status.currentVersion().map(v -> "at version " + v).orElse("empty (no migration applied)");
        if (status.pending().isEmpty()) {
            return Finding.ok("schema", at + "; nothing to apply");
        }
        return Finding.fail("schema", at + "; " + status.pending().size() + " migration(s) not applied ("
                + String.join(", ", status.pending()) + "): run `migrate` (server and worker also apply them on start)");
    }

    private Finding queueCounts() {
        QueueCounts c = queue.counts();
        // Waiting counts the prioritized too: every batch job is prioritized (campaigns share the workers), and to an
        // operator both wait for a worker.
        String counts = "waiting " + (c.waiting() + c.prioritized()) + ", active " + c.active() + ", delayed " + c.delayed() + ", failed "
                + c.failed() + ", completed " + c.completed();
        if (c.paused()) {
            return Finding.warn("queue", counts + "; PAUSED: no job is taken until it is resumed");
        }
        if (c.failed() > 0) {
            return Finding.warn("queue", counts + "; failed jobs ran out of attempts (their open batches are re-enqueued by"
                    + " the workers' sweep; FAILED batches need \"Retry Failed\")");
        }
        return Finding.ok("queue", counts);
    }

    private Finding workers() {
        List<String> names = queue.workers();
        long pending = queue.counts().pending();
        if (names.isEmpty()) {
            return pending > 0
                    ? Finding.fail("workers", "none connected, and " + pending + " job(s) wait: start `worker`")
                    : Finding.warn("workers", "none connected (nothing waits now; a distribution started now would)");
        }
        return Finding.ok("workers", names.size() + " connected: " + String.join(", ", names)
                + (workerManagement.isEmpty() ? " (WORKER_MANAGEMENT_URLS names their management ports to check each "
                        + "one's breaker)" : ""));
    }

    /** One worker's breaker and readiness, from its own {@code /health/ready}. */
    private Finding breaker(URI worker) {
        String where = worker.getHost() + ":" + worker.getPort();
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(worker.resolve("/health/ready")).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return Finding.fail("breaker", "the worker at " + where + " does not answer on its management port ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.fail("breaker", "interrupted while asking the worker at " + where);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            return Finding.fail("breaker", "the worker at " + where + " answered " + response.statusCode()
                    + " without a readiness document");
        }
        String state = body.at("/checks/breaker/state").asText("unknown");
        List<String> failing = new ArrayList<>();
        body.path("failing").forEach(f -> failing.add(f.asText()));
        String words = "worker at " + where + ": breaker " + state + (failing.isEmpty() ? ", ready"
                : ", not ready (" + String.join(", ", failing) + ")");
        if (state.equals("OPEN")) {
            return Finding.fail("breaker", words + ": its RPC failed repeatedly; batches wait out the cooldown");
        }
        return failing.isEmpty() ? Finding.ok("breaker", words) : Finding.warn("breaker", words);
    }

    private Finding batches() {
        Map<BatchStatus, Long> open = new EnumMap<>(BatchStatus.class);
        List<Batch> stuck = new ArrayList<>();
        List<Batch> waiting = new ArrayList<>();
        Instant staleBefore = clock.instant().minus(STUCK_AFTER);
        Optional<BatchId> after = Optional.empty();
        for (List<Batch> page = storage.batches().open(after, PAGE); !page.isEmpty();
                page = storage.batches().open(after, PAGE)) {
            for (Batch b : page) {
                open.merge(b.status(), 1L, Long::sum);
                if (b.updatedAt().isBefore(staleBefore)) {
                    stuck.add(b);
                } else if (b.error().isPresent()) {
                    waiting.add(b);
                }
            }
            after = Optional.of(page.getLast().id());
        }
        List<Batch> failed = new ArrayList<>();
        long failedCount = 0;
        after = Optional.empty();
        for (List<Batch> page = storage.batches().failed(after, PAGE); !page.isEmpty();
                page = storage.batches().failed(after, PAGE)) {
            failedCount += page.size();
            page.stream().limit(Math.max(0, LISTED - failed.size())).forEach(failed::add);
            after = Optional.of(page.getLast().id());
        }
        String summary = open.isEmpty() ? "none open" : open.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + " open";
        StringBuilder words = new StringBuilder(summary);
        if (!waiting.isEmpty()) {
            words.append("; ").append(waiting.size()).append(" waiting with a reason, e.g. ").append(describe(waiting));
        }
        if (!stuck.isEmpty()) {
            words.append("; ").append(stuck.size()).append(" untouched for ").append(STUCK_AFTER.toMinutes())
                    .append("+ min: ").append(describe(stuck));
        }
        if (failedCount > 0) {
            words.append("; ").append(failedCount).append(" FAILED (fix the cause, then \"Retry Failed\"): ")
                    .append(describe(failed));
            return Finding.fail("batches", words.toString());
        }
        return stuck.isEmpty() ? Finding.ok("batches", words.toString()) : Finding.warn("batches", words.toString());
    }

    private static String describe(List<Batch> batches) {
        return batches.stream().limit(LISTED)
                .map(b -> b.id() + " of campaign " + b.campaignId() + " (" + b.status() + b.error().map(e -> ": " + e)
                        .orElse("") + ")")
                .collect(Collectors.joining("; "));
    }

    private static Finding chainFinding(Readiness r) {
        return Finding.ok("chain", "block " + r.blockNumber() + " from " + r.endpoint() + " in " + r.latency().toMillis()
                + " ms");
    }

    private Finding factory(Readiness r) {
        if (r.factoryMinter().isEmpty()) {
            return Finding.fail("factory", "no factory contract answers at FACTORY_ADDRESS " + r.factory()
                    + " (deploy one with `deploy-factory`)");
        }
        if (!r.factoryMinterMatches()) {
            return Finding.fail("factory", "the factory at " + r.factory() + " grants MINTER_ROLE to "
                    + r.factoryMinter().get() + ", not to DEPLOYER_ADDRESS " + minter);
        }
        if (!r.factoryBindsCampaigns()) {
            return Finding.fail("factory", "the factory at " + r.factory() + " is an older version without "
                    + "predictCollection: deploy the current one with `deploy-factory`");
        }
        return Finding.ok("factory", r.factory() + " grants MINTER_ROLE to " + minter + " and binds collections to "
                + "campaigns");
    }

    private Finding balance(Readiness r) {
        Wei fee = chain.currentFees().maxFeePerGas();
        Wei batch = new Wei(fee.value().multiply(BigInteger.valueOf(Components.estimatedBatchGas(batchSize))));
        String words = minter + " holds " + eth(r.minterBalance()) + " ETH; a batch of " + batchSize + " costs up to "
                + eth(batch) + " ETH at today's max fee";
        if (r.minterBalance().value().compareTo(batch.value()) < 0) {
            return Finding.fail("minter", words + ": not enough for one batch, the worker waits (\"Minter balance too "
                    + "low\"): fund it");
        }
        BigInteger batches = r.minterBalance().value().divide(batch.value().max(BigInteger.ONE));
        if (batches.compareTo(BigInteger.valueOf(LOW_BALANCE_BATCHES)) < 0) {
            return Finding.warn("minter", words + ": enough for " + batches + " batch(es) only");
        }
        return Finding.ok("minter", words);
    }

    private Finding nonces() {
        long latest = chain.latestNonce(minter);
        long pending = chain.pendingNonce(minter);
        long ledger = storage.transactionLedger().nextNonce(minter);
        String words = "mined " + latest + ", pending " + pending + ", next from base-nft " + ledger;
        if (ledger > pending) {
            return Finding.warn("nonces", words + ": nonce(s) " + pending + (ledger - 1 > pending ? "–" + (ledger - 1) : "")
                    + " were handed out but the node does not hold them; later transactions wait until the worker "
                    + "rebroadcasts or fills them");
        }
        if (pending > ledger) {
            return Finding.warn("nonces", words + ": the wallet sent " + (pending - ledger) + " transaction(s) base-nft "
                    + "did not sign; the worker resynchronises its counter on its next start");
        }
        return Finding.ok("nonces", words + (pending > latest ? "; " + (pending - latest) + " waiting to be mined" : ""));
    }

    private static String eth(Wei wei) {
        return new BigDecimal(wei.value()).movePointLeft(18).stripTrailingZeros().toPlainString();
    }
}
