package dev.basenft.torture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.torture.ChaosProxy.Fault;
import java.math.BigInteger;
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
 * Issues 8 and 17: exactly-once under failure, proven by breaking the real worker on purpose. Nine scenarios — kill -9
 * (two worker processes), RPC faults and an outage (two worker processes), Redis and PostgreSQL restarts, stuck
 * transactions, an unknown fate, a nonce gap, a fee spike, a reorg and a lagging failover node — each on its own
 * PostgreSQL, Redis and anvil (2 s blocks), with the worker's default JOB_ATTEMPTS (3), each ending with the same checks on
 * the chain and in the database: every recipient holds exactly one token, total supply = recipients, the database's token
 * ids are the chain's, every batch is COMPLETED, no FAILED batch has minted, and the minter used exactly one nonce per
 * batch plus the fillers (zero-value transactions to itself) the chain shows.
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
            // Two worker processes share the database and the queue; either may be the one killed, the other goes on.
            int run = 0;
            WorkerProcess[] workers = {WorkerProcess.start(env, rig.dir(), run++), WorkerProcess.start(env, rig.dir(), run++)};
            List<WorkerProcess> runs = new ArrayList<>(List.of(workers));
            try {
                campaign.distribute(BATCH_SIZE);
                Instant deadline = Instant.now().plus(mode.isFull() ? Duration.ofMinutes(15) : Duration.ofMinutes(4));
                // Quick mode stops killing at its target so the rest completes; full mode kills until the very end.
                while (!finished(rig, campaign) && Instant.now().isBefore(deadline)) {
                    if (!mode.isFull() && kills >= mode.crashKills()) {
                        Rig.sleep(Duration.ofMillis(500));
                        continue;
                    }
                    int victim = random.nextInt(workers.length);
                    workers[victim].awaitStarted(Duration.ofSeconds(90));
                    // A random moment: anywhere from just after start-up to several seconds into its work.
                    Rig.sleep(Duration.ofMillis(300 + random.nextInt(4_200)));
                    if (finished(rig, campaign)) {
                        break;
                    }
                    workers[victim].kill();
                    kills++;
                    workers[victim] = WorkerProcess.start(env, rig.dir(), run++);
                    runs.add(workers[victim]);
                }
                if (!finished(rig, campaign)) {
                    failures.add("the distribution did not finish before the deadline: " + batchCounts(rig, campaign));
                }
            } finally {
                for (WorkerProcess worker : workers) {
                    worker.stop();
                }
            }
            notes.add("kills: " + kills + " (at least " + mode.crashKills() + ", asserted" + (mode.isFull()
                    ? "; full mode kills until the end" : "") + "); worker processes at a time: 2; worker runs: "
                    + runs.size());
            notes.add("recoveries logged (`Found existing txHash, checking receipt`): "
                    + count(runs, "Found existing txHash, checking receipt") + "; `Batch already completed (idempotency)`: "
                    + count(runs, "Batch already completed (idempotency)"));
            if (kills < mode.crashKills()) {
                failures.add("only " + kills + " kills, the " + mode.name() + " run needs at least " + mode.crashKills());
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
            // Two worker processes, both through the faulty proxy.
            List<WorkerProcess> workers = List.of(WorkerProcess.start(env, rig.dir(), 0), WorkerProcess.start(env, rig.dir(), 1));
            for (WorkerProcess worker : workers) {
                worker.awaitStarted(Duration.ofSeconds(90));
            }
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
                for (WorkerProcess worker : workers) {
                    if (!worker.isAlive()) {
                        failures.add("worker " + worker.log().getFileName() + " died: " + worker.tail());
                    }
                }
            } finally {
                for (WorkerProcess worker : workers) {
                    worker.stop();
                }
            }
            // Each process has its own breaker: the runbook's sequence must show in full in at least one of them.
            List<String> sequences = new ArrayList<>();
            boolean inOrder = false;
            for (WorkerProcess worker : workers) {
                List<String> lines = worker.lines();
                int open = firstIndex(lines, 0, "[worker] Circuit breaker OPEN after");
                int delayed = firstIndex(lines, open, "[worker] Circuit breaker OPEN, delaying batch");
                int halfOpen = firstIndex(lines, delayed, "[worker] Circuit breaker HALF_OPEN");
                int closed = firstIndex(lines, halfOpen, "[worker] Circuit breaker CLOSED");
                inOrder |= open >= 0 && delayed >= 0 && halfOpen >= 0 && closed >= 0;
                sequences.add(worker.log().getFileName() + ": `Circuit breaker OPEN` (line " + (open + 1) + "), `Circuit"
                        + " breaker OPEN, delaying batch` (" + (delayed + 1) + "), `HALF_OPEN` (" + (halfOpen + 1)
                        + "), `CLOSED` (" + (closed + 1) + ")");
            }
            if (!inOrder) {
                failures.add("runbook lines not all seen in order in any worker (0 = never): " + sequences);
            } else {
                notes.add("runbook lines (0 = never): " + String.join("; ", sequences));
            }
            notes.add("batches delayed while open: " + count(workers, "Circuit breaker OPEN, delaying batch")
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

    @Test
    @Order(5)
    void unknownFateReadsFailAndSendAnswersAreLostInBurstsNothingFailsNothingIsMintedTwice() throws Exception {
        String name = "5. unknown fate";
        Random random = mode.random("unknown-fate");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Rig rig = Rig.start("unknown-fate");
             ChaosProxy proxy = new ChaosProxy(rig.chain.anvil.url(), Duration.ofSeconds(3), random)) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Unknown fate torture", mode.unknownFateRecipients());
            Map<String, String> env = workerEnv(rig, proxy.url(), 2);
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            int bursts = 0;
            try {
                campaign.distribute(BATCH_SIZE);
                // Bursts long enough for a batch to meet them on every one of its JOB_ATTEMPTS (3 tries, 1 s apart, a 2 s
                // RPC timeout), with quiet gaps between them for sends to go out, the first of which lose their answers;
                // on until a send's answer has been lost.
                Instant until = Instant.now().plus(mode.chaosWindow());
                while (!finished(rig, campaign) && (Instant.now().isBefore(until)
                        || proxy.injected(Fault.SEND_ANSWER_DROPPED) == 0 && Instant.now().isBefore(until.plus(mode.chaosWindow())))) {
                    Rig.sleep(Duration.ofMillis(1_500 + random.nextInt(2_500)));
                    proxy.unknownFate(true);
                    bursts++;
                    Rig.sleep(Duration.ofMillis(4_000 + random.nextInt(4_000)));
                    proxy.unknownFate(false);
                    // The sends right after a burst belong to batches that met it: theirs are the answers lost.
                    proxy.loseNextSendAnswers(1 + random.nextInt(2));
                }
                proxy.unknownFate(false);
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 2), failures);
            } finally {
                proxy.unknownFate(false);
                worker.stop();
            }
            if (proxy.injected(Fault.SEND_ANSWER_DROPPED) == 0) {
                failures.add("no send's answer was lost: the scenario never made a fate unknown");
            }
            notes.add(bursts + " bursts; `fate unknown` lines logged: " + count(List.of(worker), "fate unknown")
                    + "; `FAILED` lines logged: " + count(List.of(worker), "FAILED"));
            Map<String, Integer> faults = new LinkedHashMap<>();
            faults.put(Fault.READ_ERROR.label, proxy.injected(Fault.READ_ERROR));
            faults.put(Fault.SEND_ANSWER_DROPPED.label, proxy.injected(Fault.SEND_ANSWER_DROPPED));
            finish(name, campaign, 0, faults, notes, start, failures);
        }
    }

    @Test
    @Order(6)
    void nonceGapASignedTransactionNeverReachesTheNodeTheGapIsClosedWithoutASecondMint() throws Exception {
        String name = "6. nonce gap";
        Random random = mode.random("nonce-gap");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Rig rig = Rig.start("nonce-gap");
             ChaosProxy proxy = new ChaosProxy(rig.chain.anvil.url(), Duration.ofSeconds(3), random)) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Nonce gap torture", mode.nonceGapRecipients());
            Map<String, String> env = workerEnv(rig, proxy.url(), 2);
            // A withheld nonce holds every later one back; a transaction pending this long is the worker's to act on.
            env.put("STUCK_AFTER_SECONDS", "8");
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            try {
                campaign.distribute(BATCH_SIZE);
                // The gaps open at random moments while batches are being sent, one after the other.
                for (int i = 0; i < mode.swallowedSends() && !finished(rig, campaign); i++) {
                    Rig.sleep(Duration.ofMillis(500 + random.nextInt(3_000)));
                    int before = proxy.swallowedTransactions();
                    proxy.swallowNextSends(1);
                    Instant until = Instant.now().plus(Duration.ofSeconds(60));
                    while (proxy.swallowedTransactions() == before && !finished(rig, campaign) && Instant.now().isBefore(until)) {
                        Rig.sleep(Duration.ofMillis(200));
                    }
                }
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 2), failures);
            } finally {
                worker.stop();
            }
            if (proxy.swallowedTransactions() == 0) {
                failures.add("no transaction was withheld from the node");
            }
            notes.add("transactions withheld: " + proxy.swallowedTransactions() + " (sends of them swallowed, resends"
                    + " included: " + proxy.injected(Fault.SWALLOWED) + "); replacements logged: "
                    + count(List.of(worker), "stuck since") + "; rebroadcasts logged: "
                    + count(List.of(worker), "rebroadcasting it"));
            Map<String, Integer> faults = new LinkedHashMap<>();
            faults.put("signed transactions withheld", proxy.swallowedTransactions());
            faults.put(Fault.SWALLOWED.label, proxy.injected(Fault.SWALLOWED));
            finish(name, campaign, 0, faults, notes, start, failures);
        }
    }

    @Test
    @Order(7)
    void feeSpikeTheBaseFeeJumpsAboveStoredTransactionsFeesUnderTheCeilingThenFalls() throws Exception {
        String name = "7. fee spike";
        Random random = mode.random("fee-spike");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Rig rig = Rig.start("fee-spike")) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Fee spike torture", mode.feeSpikeRecipients());
            Map<String, String> env = workerEnv(rig, rig.chain.anvil.url().toString(), 2);
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            int spikes = 0;
            BigInteger highest = BigInteger.ZERO;
            try {
                campaign.distribute(BATCH_SIZE);
                Instant until = Instant.now().plus(mode.chaosWindow());
                while (!finished(rig, campaign) && Instant.now().isBefore(until)) {
                    Rig.sleep(Duration.ofMillis(1_000 + random.nextInt(2_000)));
                    // Above what every stored transaction pays (three times the dearest), below the default ceiling
                    // (MAX_FEE_PER_GAS_GWEI = 50) with room for the worker's 2 × base fee + tip.
                    BigInteger spike = storedMaxFee(rig, campaign).multiply(BigInteger.valueOf(3))
                            .max(GWEI.multiply(BigInteger.valueOf(5))).min(GWEI.multiply(BigInteger.valueOf(20)));
                    highest = highest.max(spike);
                    spikes++;
                    // Held for a few blocks (anvil sets only the next block's base fee), then left to fall by itself.
                    Instant held = Instant.now().plus(Duration.ofMillis(4_000 + random.nextInt(4_000)));
                    while (Instant.now().isBefore(held)) {
                        rig.chain.rpc.call("anvil_setNextBlockBaseFeePerGas", "0x" + spike.toString(16));
                        Rig.sleep(Duration.ofMillis(500));
                    }
                    Rig.sleep(Duration.ofMillis(4_000 + random.nextInt(4_000)));
                }
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 2), failures);
            } finally {
                worker.stop();
            }
            int pricedOut = signedBelow(rig, campaign, highest);
            if (spikes == 0 || pricedOut == 0) {
                failures.add("no stored transaction was ever priced under a spike (" + spikes + " spikes up to " + highest
                        + " wei)");
            }
            notes.add(spikes + " spikes, up to " + highest.divide(GWEI) + " gwei (ceiling 50 gwei); signed transactions"
                    + " paying less than the highest spike: " + pricedOut + "; `Gas price above ceiling` lines: "
                    + count(List.of(worker), "Gas price above ceiling") + "; replacements logged: "
                    + count(List.of(worker), "stuck since") + " stuck, " + count(List.of(worker), "refused as underpriced")
                    + " underpriced");
            Verification v = finish(name, campaign, 0, Map.of("base fee spikes", spikes), notes, start, failures);
            assertThat(v.batches()).isPositive();
        }
    }

    @Test
    @Order(8)
    void reorgDropsMinedMintTransactionsOnBaseSepoliaEveryRecipientStillHoldsExactlyOne() throws Exception {
        String name = "8. reorg (chain 84532)";
        Random random = mode.random("reorg");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // Base Sepolia's chain id, so that the worker waits for the confirmations a Base Sepolia user gets by default.
        try (Rig rig = Rig.start("reorg", BASE_SEPOLIA)) {
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Reorg torture", mode.reorgRecipients());
            Map<String, String> env = workerEnv(rig, rig.chain.anvil.url().toString(), 2);
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            int reorgs = 0;
            int droppedMints = 0;
            int deepest = 0;
            try {
                campaign.distribute(BATCH_SIZE);
                Instant until = Instant.now().plus(mode.chaosWindow());
                while (!finished(rig, campaign) && (reorgs < mode.reorgs() || Instant.now().isBefore(until))
                        && Instant.now().isBefore(until.plus(mode.chaosWindow()))) {
                    Rig.sleep(Duration.ofMillis(1_000 + random.nextInt(3_000)));
                    // The newest block (of the last two) holding one of the minter's mints is dropped with everything
                    // after it: a reorg of depth 1 or 2, the mined transactions gone from the chain and the node's pool.
                    long head = rig.chain.rpc.blockNumber();
                    for (long n = head; n > Math.max(campaign.startBlock(), head - 2); n--) {
                        int mints = mintsIn(rig, campaign, n);
                        if (mints > 0) {
                            int depth = (int) (head - n + 1);
                            rig.chain.rpc.call("anvil_reorg", depth, List.of());
                            reorgs++;
                            droppedMints += mints;
                            deepest = Math.max(deepest, depth);
                            break;
                        }
                    }
                }
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 2), failures);
            } finally {
                worker.stop();
            }
            if (droppedMints == 0) {
                failures.add("no mined mint transaction was dropped by a reorg");
            }
            notes.add(reorgs + " reorgs (anvil_reorg, deepest " + deepest + " blocks) dropped " + droppedMints
                    + " mined mint transaction(s); chain id " + BASE_SEPOLIA + ", the worker's confirmations left at the"
                    + " default for it; `Found existing txHash` lines: " + count(List.of(worker), "Found existing txHash"));
            Map<String, Integer> faults = new LinkedHashMap<>();
            faults.put("reorgs", reorgs);
            faults.put("mined mints dropped", droppedMints);
            finish(name, campaign, 0, faults, notes, start, failures);
        }
    }

    @Test
    @Order(9)
    void laggingFailoverNodeThePrimaryComesAndGoesTheSecondaryIsBlocksBehindNoBatchIsSignedTwice() throws Exception {
        String name = "9. lagging failover node";
        Random random = mode.random("lagging");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (Rig rig = Rig.start("lagging");
             ChaosProxy primary = new ChaosProxy(rig.chain.anvil.url(), Duration.ofSeconds(3), random);
             ChaosProxy secondary = new ChaosProxy(rig.chain.anvil.url(), Duration.ofSeconds(3), random)) {
            secondary.lagBehind(mode.lagBlocks());
            TortureCampaign campaign = TortureCampaign.prepare(rig, "Lagging node torture", mode.laggingRecipients());
            // Two endpoints in failover order: the primary, a view of the head; the secondary, the same chain k blocks behind.
            Map<String, String> env = workerEnv(rig, primary.url() + "," + secondary.url(), 2);
            Instant start = Instant.now();
            WorkerProcess worker = WorkerProcess.start(env, rig.dir(), 0).awaitStarted(Duration.ofSeconds(90));
            int outages = 0;
            try {
                campaign.distribute(BATCH_SIZE);
                Instant until = Instant.now().plus(mode.chaosWindow());
                while (!finished(rig, campaign) && Instant.now().isBefore(until)) {
                    Rig.sleep(Duration.ofMillis(1_000 + random.nextInt(3_000)));
                    primary.outage(true);
                    outages++;
                    Rig.sleep(Duration.ofMillis(3_000 + random.nextInt(5_000)));
                    primary.outage(false);
                }
                primary.outage(false);
                awaitFinished(rig, campaign, Duration.ofMinutes(mode.isFull() ? 10 : 2), failures);
            } finally {
                primary.outage(false);
                worker.stop();
            }
            if (secondary.injected(Fault.LAGGING_READ) == 0) {
                failures.add("the lagging node was never read");
            }
            Verification v = Verification.of(campaign);
            // A batch moves to another nonce only when its own went to a filler; beyond that, a second mint was signed.
            if (v.batchesOnSeveralNonces() > v.fillers()) {
                failures.add(v.batchesOnSeveralNonces() + " batch(es) signed on more than one nonce with " + v.fillers()
                        + " filler(s): a second mint signed because of the lag");
            }
            notes.add(outages + " outages of the primary; reads answered " + mode.lagBlocks() + " blocks behind: "
                    + secondary.injected(Fault.LAGGING_READ) + "; batches with ledger rows on more than one nonce: "
                    + v.batchesOnSeveralNonces());
            Map<String, Integer> faults = new LinkedHashMap<>();
            faults.put("primary outages", outages);
            faults.put("requests refused by the primary", primary.injected(Fault.OUTAGE));
            faults.put(Fault.LAGGING_READ.label, secondary.injected(Fault.LAGGING_READ));
            finish(name, campaign, 0, faults, notes, start, failures);
        }
    }

    // ------------------------------------------------------------------------------------------------------- helpers

    private static final long BASE_SEPOLIA = 84532;
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    /** The highest max fee of the campaign's stored transactions; 0 before any. */
    private static BigInteger storedMaxFee(Rig rig, TortureCampaign campaign) throws SQLException {
        try (Connection db = rig.jdbc();
             PreparedStatement s = db.prepareStatement("SELECT coalesce(max(t.max_fee_per_gas), 0) FROM signed_transactions t"
                     + " JOIN batches b ON b.id = t.batch_id WHERE b.campaign_id = ?")) {
            s.setObject(1, campaign.id().value());
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getBigDecimal(1).toBigIntegerExact();
            }
        }
    }

    /** Stored transactions of the campaign whose max fee is under {@code fee}: the ones a base fee of {@code fee} stops. */
    private static int signedBelow(Rig rig, TortureCampaign campaign, BigInteger fee) throws SQLException {
        try (Connection db = rig.jdbc();
             PreparedStatement s = db.prepareStatement("SELECT count(*) FROM signed_transactions t JOIN batches b"
                     + " ON b.id = t.batch_id WHERE b.campaign_id = ? AND t.max_fee_per_gas < ?")) {
            s.setObject(1, campaign.id().value());
            s.setBigDecimal(2, new java.math.BigDecimal(fee));
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The minter's transactions to the campaign's collection in block {@code number}. */
    private static int mintsIn(Rig rig, TortureCampaign campaign, long number) {
        JsonNode block = rig.chain.rpc.call("eth_getBlockByNumber", "0x" + Long.toHexString(number), true);
        int mints = 0;
        if (block != null && !block.isNull()) {
            for (JsonNode tx : block.path("transactions")) {
                if (tx.path("from").asText("").equalsIgnoreCase(rig.chain.minter.lowerCase())
                        && tx.path("to").asText("").equalsIgnoreCase(campaign.collection().lowerCase())) {
                    mints++;
                }
            }
        }
        return mints;
    }

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
        if (v.failedWithTokens() != 0) {
            all.add(v.failedWithTokens() + " FAILED batch(es) whose recipients hold tokens");
        }
        // One nonce per batch plus the fillers the chain shows; a nonce allocated to a batch may have gone to a filler
        // instead (its batch then signed on another), so the ledger's allocations lie between the two.
        if (v.noncesUsedOnChain() != v.batches() + v.fillers()) {
            all.add("nonces: " + v.noncesUsedOnChain() + " used on chain for " + v.batches() + " batches and " + v.fillers()
                    + " fillers (" + (v.extraNonces() > 0 ? v.extraNonces() + " nonce(s) burned on a second mint"
                    : -v.extraNonces() + " fewer: batches never minted, or minted by another batch's transaction") + ")");
        }
        if (v.noncesAllocated() < v.batches() || v.noncesAllocated() > v.batches() + v.fillers()) {
            all.add("nonces: " + v.noncesAllocated() + " allocated in the ledger for " + v.batches() + " batches and "
                    + v.fillers() + " fillers");
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
