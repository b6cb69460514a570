package dev.basenft.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.torture.ChaosProxy.Fault;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 8: exactly-once under failure, proven by breaking the real worker on purpose. Four scenarios, each on its own
 * PostgreSQL, Redis and anvil (2 s blocks), each ending with the same checks on the chain and in the database: every
 * recipient holds exactly one token, total supply = recipients, the database's token ids are the chain's, every batch is
 * COMPLETED, and the minter used exactly one nonce per batch.
 *
 * <p>Quick by default (inside {@code bin/test}); {@code -Dtorture.full=true} (what {@code torture/run.sh} sets) runs the
 * sizes of the issue. Either way {@code target/torture/report.md} tells what was done and found.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TortureTest {

    /** Small batches: many of them, so kills and faults land on batches in every state. */
    private static final int BATCH_SIZE = 10;

    private static TortureMode mode;
    private static Report report;

    @BeforeAll
    static void chooseMode() {
        mode = TortureMode.fromSystemProperties();
        report = new Report(mode);
    }

    /**
     * The worker's settings for torture: short leases, lock and waits so that a killed or faulted worker's batches come back
     * in seconds; small batches so that there are many of them. JOB_ATTEMPTS is left at its default (3): an outage or a
     * transaction of unknown fate must be waited out, never fail a batch, with the settings a new user gets (asserted).
     */
    private static Map<String, String> workerEnv(Rig rig, String rpcUrl, int concurrency) {
        Map<String, String> env = new HashMap<>(rig.environment(rpcUrl));
        env.put("BATCH_SIZE", Integer.toString(BATCH_SIZE));
        env.put("WORKER_CONCURRENCY", Integer.toString(concurrency));
        env.put("MAX_IN_FLIGHT", Integer.toString(concurrency));
        env.put("BATCH_LEASE_SECONDS", "8");
        env.put("RECEIPT_TIMEOUT_SECONDS", "5");
        env.put("STUCK_AFTER_SECONDS", "20");
        env.put("WAIT_DELAY_SECONDS", "1");
        env.put("QUEUE_LOCK_SECONDS", "3");
        env.put("RPC_TIMEOUT_SECONDS", "2");
        env.put("QUEUE_SWEEP_SECONDS", "5");
        env.put("BREAKER_FAILURE_THRESHOLD", "5");
        env.put("BREAKER_COOLDOWN_SECONDS", "5");
        return env;
    }

    // ------------------------------------------------------------------------------------------------------ scenarios

    @Test
    @Order(1)
    void crashTortureKillNineAtRandomMomentsThenEveryRecipientHoldsExactlyOneToken() throws Exception {
        String name = "1. crash (kill -9)";
        Random random = mode.random("crash");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int kills = 0;
        try (Rig rig = Rig.start("crash")) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Crash torture", mode.crashRecipients());
            // Two batches at a time, so the distribution lasts long enough for the kills to land in the middle of it.
            Map<String, String> env = workerEnv(rig, rig.chain.anvil.url().toString(), 2);
            Instant start = Instant.now();
            int run = 0;
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), run);
            List<WorkerProcess> runs = new ArrayList<>(List.of(worker));
            try {
                campaign.distribute(BATCH_SIZE);
                Instant deadline = Instant.now().plus(mode.isFull() ? Duration.ofMinutes(15) : Duration.ofMinutes(4));
                // Quick mode stops killing at its target so the rest completes; full mode kills until the very end.
                while (!finished(rig, campaign) && Instant.now().isBefore(deadline)) {
                    if (!mode.isFull() && kills >= mode.crashKills()) {
                        Rig.sleep(Duration.ofMillis(500));
                        continue;
                    }
                    worker.awaitStarted(Duration.ofSeconds(90));
                    // A random moment: anywhere from just after start-up to several seconds into its work.
                    Rig.sleep(Duration.ofMillis(300 + random.nextInt(4_200)));
                    if (finished(rig, campaign)) {
                        break;
                    }
                    worker.kill();
                    kills++;
                    worker = WorkerProcess.start(env, rig.dir(), ++run);
                    runs.add(worker);
                }
                if (!finished(rig, campaign)) {
                    failures.add("the distribution did not finish before the deadline: " + batchCounts(rig, campaign));
                }
            } finally {
                worker.stop();
            }
            notes.add("kills: " + kills + " (target " + mode.crashKills() + (mode.isFull() ? ", asserted" : ", quick mode:"
                    + " not asserted") + "); worker runs: " + runs.size());
            notes.add("recoveries logged (`Found existing txHash, checking receipt`): "
                    + count(runs, "Found existing txHash, checking receipt") + "; `Batch already completed (idempotency)`: "
                    + count(runs, "Batch already completed (idempotency)"));
            if (mode.isFull() && kills < mode.crashKills()) {
                failures.add("only " + kills + " kills, the full run needs at least " + mode.crashKills());
            }
            if (kills == 0) {
                failures.add("the worker was never killed");
            }
            finish(name, campaign, kills, Map.of(), notes, start, failures);
        }
    }

    @Test
    @Order(2)
    void rpcFaultsAndAnOutageOpenTheBreakerDelayNotFailAndLoseOrDuplicateNothing() throws Exception {
        String name = "2. RPC faults + outage";
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Rig rig = Rig.start("faults");
             ChaosProxy proxy = new ChaosProxy(rig.chain.anvil.url(), Duration.ofSeconds(3), mode.random("faults"))) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Fault torture", mode.faultRecipients());
            Map<String, String> env = workerEnv(rig, proxy.url(), 2);
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            try {
                campaign.distribute(BATCH_SIZE);
                // Each kind once up front, so even the quick run cannot end without having seen all of them; then at random.
                proxy.forceNext(List.of(Fault.TIMEOUT, Fault.HTTP_5XX, Fault.HTTP_429, Fault.RESET, Fault.LOST_AFTER_SEND));
                proxy.randomFaults(mode.faultRate());
                Rig.sleep(Duration.ofSeconds(3));
                // The outage comes early so it surely lands mid-distribution, random faults before and after it.
                proxy.outage(true);
                Rig.sleep(mode.outage());
                proxy.outage(false);
                // Random faults go on for the window and until every kind has been injected (the sends, and so the
                // lost-after-send fault, are rarer than reads), unless the distribution ends first.
                Instant faultsUntil = start.plus(mode.faultWindow());
                while (!finished(rig, campaign) && (Instant.now().isBefore(faultsUntil) || !everyKindInjected(proxy))) {
                    Rig.sleep(Duration.ofMillis(250));
                }
                proxy.randomFaults(0);
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 4), failures);
                if (!worker.isAlive()) {
                    failures.add("the worker died: " + worker.tail());
                }
            } finally {
                worker.stop();
            }
            List<String> lines = worker.lines();
            int open = firstIndex(lines, 0, "[worker] Circuit breaker OPEN after");
            int delayed = firstIndex(lines, open, "[worker] Circuit breaker OPEN, delaying batch");
            int halfOpen = firstIndex(lines, delayed, "[worker] Circuit breaker HALF_OPEN");
            int closed = firstIndex(lines, halfOpen, "[worker] Circuit breaker CLOSED");
            if (open < 0 || delayed < 0 || halfOpen < 0 || closed < 0) {
                failures.add("runbook lines not all seen in order: open@" + open + ", batches delayed@" + delayed
                        + ", half-open@" + halfOpen + ", closed@" + closed);
            } else {
                notes.add("runbook lines in order: `Circuit breaker OPEN` (line " + (open + 1) + "), `Circuit breaker OPEN,"
                        + " delaying batch` (" + (delayed + 1) + "), `HALF_OPEN` (" + (halfOpen + 1) + "), `CLOSED` ("
                        + (closed + 1) + ")");
            }
            notes.add("batches delayed while open: " + count(List.of(worker), "Circuit breaker OPEN, delaying batch")
                    + "; outage " + mode.outage().toSeconds() + " s; random faults at " + Math.round(mode.faultRate() * 100)
                    + " % of requests for " + mode.faultWindow().toSeconds() + " s");
            Map<String, Integer> faults = new LinkedHashMap<>();
            proxy.injected().forEach((fault, n) -> {
                if (n > 0 || fault.ordinal() <= Fault.OUTAGE.ordinal()) {
                    faults.put(fault.label, n);
                }
            });
            List<Fault> required = new ArrayList<>(RANDOM_FAULTS);
            required.add(Fault.OUTAGE);
            required.add(Fault.LOST_AFTER_SEND);
            for (Fault kind : required) {
                if (proxy.injected(kind) == 0) {
                    failures.add("no " + kind.label + " was injected");
                }
            }
            finish(name, campaign, 0, faults, notes, start, failures);
        }
    }

    @Test
    @Order(3)
    void redisAndPostgresRestartedMidDistributionTheWorkerSurvivesAndCompletes() throws Exception {
        String name = "3. Redis + PostgreSQL restarts";
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Rig rig = Rig.start("restarts")) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Restart torture", mode.restartRecipients());
            Map<String, String> env = workerEnv(rig, rig.chain.anvil.url().toString(), 2);
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            long pid = worker.pid();
            try {
                campaign.distribute(BATCH_SIZE);
                awaitCompleted(rig, campaign, done -> done >= 1, Duration.ofMinutes(2));
                rig.stopRedis();
                notes.add("Redis stopped at " + completed(rig, campaign) + " completed batches, down "
                        + mode.serviceDown().toSeconds() + " s, restarted with its append-only file");
                Rig.sleep(mode.serviceDown());
                rig.startRedis();
                int before = completed(rig, campaign);
                awaitCompleted(rig, campaign, done -> done >= before + 2 || done == total(rig, campaign),
                        Duration.ofMinutes(2));
                if (!finished(rig, campaign)) {
                    int at = completed(rig, campaign);
                    rig.stopPostgres();
                    Rig.sleep(mode.serviceDown());
                    rig.startPostgres();
                    notes.add("PostgreSQL stopped (fast shutdown) at " + at + " completed batches, down "
                            + mode.serviceDown().toSeconds() + " s, restarted on the same data");
                } else {
                    failures.add("the distribution finished before PostgreSQL could be restarted: size the scenario up");
                }
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 4), failures);
                if (!worker.isAlive() || worker.pid() != pid) {
                    failures.add("the worker did not survive: " + worker.tail());
                } else {
                    notes.add("one worker process (pid " + pid + ") throughout; `Worker error:` lines logged: "
                            + count(List.of(worker), "Worker error:"));
                }
            } finally {
                worker.stop();
            }
            finish(name, campaign, 0, Map.of("Redis restarts", 1, "PostgreSQL restarts", 1), notes, start, failures);
        }
    }

    @Test
    @Order(4)
    void stuckDroppedAndUnderpricedTransactionsAreReplacedOnTheSameNonceWithoutAnExtraNonce() throws Exception {
        String name = "4. stuck transactions";
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Rig rig = Rig.start("stuck");
             ChaosProxy proxy = new ChaosProxy(rig.chain.anvil.url(), Duration.ofSeconds(3), mode.random("stuck"))) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Stuck torture", mode.stuckRecipients());
            Map<String, String> env = workerEnv(rig, proxy.url(), 4);
            // Replace a pending transaction after 4 s: the no-mining window is several times that.
            env.put("STUCK_AFTER_SECONDS", "4");
            env.put("RECEIPT_TIMEOUT_SECONDS", "3");
            // Mining stops before the distribution starts, so its first transactions are the ones that get stuck.
            rig.chain.rpc.call("evm_setIntervalMining", 0);
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            Instant miningStopped = Instant.now();
            try {
                proxy.dropNextSends(mode.droppedTransactions());
                campaign.distribute(BATCH_SIZE);
                Rig.sleep(mode.miningStopped().dividedBy(2));
                proxy.refuseNextSends(mode.underpricedRefusals());
                Rig.sleep(mode.miningStopped().dividedBy(2));
                rig.chain.rpc.call("evm_setIntervalMining", 2);
                notes.add("no blocks for " + Duration.between(miningStopped, Instant.now()).toSeconds() + " s (interval"
                        + " mining off, then back to 2 s)");
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 4), failures);
            } finally {
                rig.chain.rpc.call("evm_setIntervalMining", 2);
                worker.stop();
            }
            notes.add("replacements logged: " + count(List.of(worker), "stuck since") + "; rebroadcasts of dropped"
                    + " transactions logged: " + count(List.of(worker), "rebroadcasting it"));
            Map<String, Integer> faults = new LinkedHashMap<>();
            faults.put(Fault.DROPPED.label, proxy.injected(Fault.DROPPED));
            faults.put(Fault.UNDERPRICED.label, proxy.injected(Fault.UNDERPRICED));
            if (proxy.injected(Fault.DROPPED) == 0) {
                failures.add("no transaction was dropped");
            }
            Verification v = finish(name, campaign, 0, faults, notes, start, failures);
            assertThat(v.replacements()).as("same-nonce replacements of stuck transactions").isPositive();
            assertThat(v.smallestBumpPercent()).as("smallest fee raise of a replacement, %").isGreaterThanOrEqualTo(10);
        }
    }

    // ------------------------------------------------------------------------------------------------------- helpers

    /** Verifies, reports, then fails the test on anything wrong — the report is written either way. */
    private static Verification finish(String name, TortureCampaign campaign, int kills, Map<String, Integer> faults,
            List<String> notes, Instant start, List<String> failures) throws SQLException {
        Verification v = Verification.of(campaign);
        List<String> all = new ArrayList<>(failures);
        if (v.lost() != 0) {
            all.add(v.lost() + " recipients lost");
        }
        if (v.duplicates() != 0) {
            all.add(v.duplicates() + " duplicate tokens");
        }
        if (v.totalSupply() != v.recipients()) {
            all.add("totalSupply " + v.totalSupply() + " ≠ " + v.recipients() + " recipients");
        }
        if (v.databaseDisagreements() != 0) {
            all.add(v.databaseDisagreements() + " database rows disagree with the chain");
        }
        if (v.unfinishedBatches() != 0) {
            all.add("batches not COMPLETED: " + v.batchesByStatus());
        }
        if (v.noncesUsedOnChain() != v.batches() || v.noncesAllocated() != v.batches()) {
            all.add("nonces: " + v.noncesUsedOnChain() + " used on chain and " + v.noncesAllocated() + " allocated for "
                    + v.batches() + " batches (a burned nonce)");
        }
        List<String> reported = new ArrayList<>(notes);
        all.forEach(f -> reported.add("FAILED CHECK: " + f));
        report.add(new Report.Entry(name, v, kills, faults, reported, Duration.between(start, Instant.now()), all.isEmpty()));
        System.out.println("[torture] " + name + ": " + (all.isEmpty() ? "pass" : "FAIL " + all) + "; report at "
                + report.file().toAbsolutePath());
        assertThat(all).as("%s (seed %d), problems: %s", name, mode.seed(), v.problems()).isEmpty();
        return v;
    }

    private static boolean finished(Rig rig, TortureCampaign campaign) {
        Map<String, Integer> counts = batchCounts(rig, campaign);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return total > 0 && counts.getOrDefault("COMPLETED", 0) + counts.getOrDefault("FAILED", 0) == total;
    }

    private static int completed(Rig rig, TortureCampaign campaign) {
        return batchCounts(rig, campaign).getOrDefault("COMPLETED", 0);
    }

    private static int total(Rig rig, TortureCampaign campaign) {
        return batchCounts(rig, campaign).values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void awaitFinished(Rig rig, TortureCampaign campaign, Duration timeout, List<String> failures) {
        Instant deadline = Instant.now().plus(timeout);
        while (!finished(rig, campaign)) {
            if (Instant.now().isAfter(deadline)) {
                failures.add("not finished within " + timeout + ": " + batchCounts(rig, campaign));
                return;
            }
            Rig.sleep(Duration.ofMillis(500));
        }
    }

    private static void awaitCompleted(Rig rig, TortureCampaign campaign, IntPredicate enough, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!enough.test(completed(rig, campaign))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("batches did not complete within " + timeout + ": " + batchCounts(rig, campaign));
            }
            Rig.sleep(Duration.ofMillis(250));
        }
    }

    /** Batches by status; empty while PostgreSQL is down (the scenario is waiting for it then). */
    private static Map<String, Integer> batchCounts(Rig rig, TortureCampaign campaign) {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection db = rig.jdbc();
             PreparedStatement s = db.prepareStatement("SELECT status, count(*) FROM batches WHERE campaign_id = ?"
                     + " GROUP BY status")) {
            s.setObject(1, campaign.id().value());
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return counts;
    }

    /** The random faults every fault run must have injected, besides a lost send response and the outage. */
    private static final List<Fault> RANDOM_FAULTS = List.of(Fault.TIMEOUT, Fault.HTTP_5XX, Fault.HTTP_429, Fault.RESET);

    private static boolean everyKindInjected(ChaosProxy proxy) {
        return RANDOM_FAULTS.stream().allMatch(kind -> proxy.injected(kind) > 0)
                && proxy.injected(Fault.LOST_AFTER_SEND) > 0;
    }

    private static int firstIndex(List<String> lines, int from, String fragment) {
        if (from < 0) {
            return -1;
        }
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    private static long count(List<WorkerProcess> runs, String fragment) {
        return runs.stream().flatMap(r -> r.lines().stream()).filter(l -> l.contains(fragment)).count();
    }
}
