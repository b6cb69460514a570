package dev.basenft.torture;

import java.time.Duration;
import java.util.Random;

/**
 * How hard a run tortures: {@link #QUICK} for the build (every scenario, small, a few minutes in all) or {@link #FULL} for
 * {@code torture/run.sh} (issue 8's sizes: 2,000 recipients, at least 30 kills). Chosen with {@code -Dtorture.full=true}.
 * The random seed of a run is printed and goes into the report; {@code -Dtorture.seed=N} replays the same choices (the
 * moments of kills, which requests get which fault), though timing on a busy machine still varies.
 *
 * @param name {@code quick} or {@code full}
 * @param seed the seed of every random choice in the run
 * @param crashRecipients recipients of the crash scenario
 * @param crashKills kills the crash scenario makes at least (asserted in both modes; full mode kills until the end)
 * @param faultRecipients recipients of the RPC fault scenario
 * @param faultRate share of RPC requests that get a random fault while faults are on
 * @param faultWindow how long random faults go on at least (longer until every kind has been injected)
 * @param outage how long the chain is unreachable; long enough to open the breaker and see it half-open
 * @param restartRecipients recipients of the restart scenario
 * @param serviceDown how long Redis, then PostgreSQL, stay down
 * @param stuckRecipients recipients of the stuck-transaction scenario
 * @param miningStopped how long no block is made
 * @param droppedTransactions transactions the node drops after accepting them
 * @param underpricedRefusals sends refused as "replacement transaction underpriced"
 * @param unknownFateRecipients recipients of the unknown-fate scenario
 * @param nonceGapRecipients recipients of the nonce-gap scenario
 * @param swallowedSends signed transactions withheld from the node in the nonce-gap scenario
 * @param feeSpikeRecipients recipients of the fee-spike scenario
 * @param reorgRecipients recipients of the reorg scenario
 * @param reorgs reorgs dropping mined mints the reorg scenario aims for
 * @param laggingRecipients recipients of the lagging-failover scenario
 * @param lagBlocks how many blocks the failover node is behind
 * @param chaosWindow how long the new scenarios' faults (bursts, spikes, reorgs, outages of the primary) go on at most
 */
record TortureMode(
        String name,
        long seed,
        int crashRecipients,
        int crashKills,
        int faultRecipients,
        double faultRate,
        Duration faultWindow,
        Duration outage,
        int restartRecipients,
        Duration serviceDown,
        int stuckRecipients,
        Duration miningStopped,
        int droppedTransactions,
        int underpricedRefusals,
        int unknownFateRecipients,
        int nonceGapRecipients,
        int swallowedSends,
        int feeSpikeRecipients,
        int reorgRecipients,
        int reorgs,
        int laggingRecipients,
        int lagBlocks,
        Duration chaosWindow) {

    TortureMode {
        if (!name.equals("quick") && !name.equals("full")) {
            throw new IllegalArgumentException("mode is quick or full, got " + name);
        }
        positive("crashRecipients", crashRecipients);
        positive("crashKills", crashKills);
        positive("faultRecipients", faultRecipients);
        positive("restartRecipients", restartRecipients);
        positive("stuckRecipients", stuckRecipients);
        positive("unknownFateRecipients", unknownFateRecipients);
        positive("nonceGapRecipients", nonceGapRecipients);
        positive("swallowedSends", swallowedSends);
        positive("feeSpikeRecipients", feeSpikeRecipients);
        positive("reorgRecipients", reorgRecipients);
        positive("reorgs", reorgs);
        positive("laggingRecipients", laggingRecipients);
        positive("lagBlocks", lagBlocks);
        if (!(faultRate > 0 && faultRate < 1)) {
            throw new IllegalArgumentException("faultRate must be between 0 and 1, got " + faultRate);
        }
        for (Duration d : new Duration[] {faultWindow, outage, serviceDown, miningStopped, chaosWindow}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every duration must be positive, got " + d);
            }
        }
        if (droppedTransactions < 0 || underpricedRefusals < 0) {
            throw new IllegalArgumentException("counts of injected faults cannot be negative");
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    static TortureMode quick(long seed) {
        return new TortureMode("quick", seed, 300, 5, 200, 0.20, Duration.ofSeconds(12), Duration.ofSeconds(9), 200,
                Duration.ofSeconds(5), 100, Duration.ofSeconds(14), 3, 2, 100, 100, 2, 100, 100, 2, 100, 3,
                Duration.ofSeconds(18));
    }

    static TortureMode full(long seed) {
        return new TortureMode("full", seed, 2_000, 30, 1_000, 0.15, Duration.ofSeconds(40), Duration.ofSeconds(20), 1_000,
                Duration.ofSeconds(8), 300, Duration.ofSeconds(26), 4, 2, 600, 600, 6, 600, 600, 12, 600, 3,
                Duration.ofSeconds(120));
    }

    /** The mode the system properties ask for; prints it with its seed so a failing run can be replayed. */
    static TortureMode fromSystemProperties() {
        String seedText = System.getProperty("torture.seed", "");
        long seed = seedText.isBlank() ? new Random().nextLong() : Long.parseLong(seedText.strip());
        TortureMode mode = Boolean.getBoolean("torture.full") ? full(seed) : quick(seed);
        System.out.println("[torture] mode " + mode.name() + ", seed " + seed + " (replay with -Dtorture.seed=" + seed + ")");
        return mode;
    }

    boolean isFull() {
        return name.equals("full");
    }

    /** A random source for one scenario: the run's seed mixed with the scenario's name, so scenarios do not share choices. */
    Random random(String scenario) {
        return new Random(seed ^ scenario.hashCode());
    }
}
