package dev.basenft.app.e2e;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.core.model.Address;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;

/**
 * {@code bin/bench --chain-scale [N]}: what the chain itself does while one collection grows to N tokens, with nothing of
 * base-nft in the way. Full batches, signed here and sent straight to anvil (the {@code --scale} run's anvil, on the same
 * chain), are kept a little over a block ahead of the mined nonce; at every 50,000 tokens it records the chain's own rate
 * over that step and anvil's resident memory. It is how docs/benchmarks.md separates what bounds the million-recipient
 * run: if the chain alone slows down and outgrows the machine at the same size, no change to base-nft can finish that run
 * here. Stops at N tokens, when anvil passes {@link ScaleModes#ANVIL_MEMORY_SHARE} of the machine's memory, or when
 * nothing is mined for a minute. Not a test.
 */
final class ChainScaleMode {

    private static final int STEP = 50_000;
    /** Transactions kept sent and not yet mined: a little over the 25 that fill one 400M-gas block. */
    private static final int AHEAD = 40;
    private static final long STALL_NANOS = 60_000_000_000L;

    private ChainScaleMode() {
    }

    /** One step of the run: where it ended, and what the chain did over it. */
    record Step(long tokens, double seconds, double tokensPerSecond, double anvilGb, double anvilCpuSeconds) {
    }

    static boolean run(DistributionBenchmark.Options options) throws Exception {
        DistributionBenchmark.ChainSpec spec = options.chains().stream().filter(c -> c.name().equals("400m"))
                .findFirst().orElse(options.chains().getFirst());
        int batch = 330; // what the worker's sizing picks on 400M-gas blocks (docs/benchmarks.md)
        long target = options.chainScale();
        DistributionBenchmark.progress("[bench] {0}: chain alone, {1,number,#} tokens into one collection, {2} per tx",
                spec.name(), target, batch);
        List<Step> steps = new ArrayList<>();
        String problem = null;
        long minted = 0;
        try (DevChain chain = DevChain.start(ScaleModes.anvilArgs(spec));
                BlockClock clock = BlockClock.start(new BenchChain(chain.anvil.url()), ScaleModes.BLOCK_TIME)) {
            BenchChain rpc = new BenchChain(chain.anvil.url());
            Address collection = chain.createCollection("Chain scale", "SCALE", "ipfs://scale/");
            long gasLimit = DistributionBenchmark.estimate(chain, collection, batch) + 2_000;
            Credentials credentials = Credentials.create(DevChain.MINTER_KEY_HEX);
            BigInteger maxFee = BigInteger.valueOf(200_000_000_000L);
            BigInteger tip = BigInteger.valueOf(1_000_000_000L);
            ProcessHandle anvil = chain.anvil.handle();
            long first = chain.rpc.nonce(chain.minter, "latest");
            long next = first;
            long t0 = System.nanoTime();
            long stepStart = t0;
            long lastProgress = t0;
            long lastMined = first;
            double cpuAtStep = DistributionBenchmark.cpuSeconds(anvil);
            long stepTokens = 0;
            while (minted < target) {
                long mined = chain.rpc.nonce(chain.minter, "latest");
                long now = System.nanoTime();
                if (mined > lastMined) {
                    lastMined = mined;
                    lastProgress = now;
                } else if (now - lastProgress > STALL_NANOS) {
                    problem = "nothing was mined for a minute at " + minted + " tokens";
                    break;
                }
                minted = (mined - first) * batch;
                if (minted - stepTokens >= STEP || minted >= target) {
                    double cpu = DistributionBenchmark.cpuSeconds(anvil);
                    steps.add(new Step(minted, (now - t0) / 1e9, (minted - stepTokens) / ((now - stepStart) / 1e9),
                            residentGb(anvil), cpu - cpuAtStep));
                    Step s = steps.getLast();
                    DistributionBenchmark.progress("[bench] chain alone: {0,number,#} tokens at {1} s, {2}/s over the"
                            + " step, anvil {3} GB", s.tokens(), fmt("%.0f", s.seconds()), fmt("%.0f", s.tokensPerSecond()),
                            fmt("%.1f", s.anvilGb()));
                    stepTokens = minted;
                    stepStart = now;
                    cpuAtStep = cpu;
                }
                problem = ScaleModes.anvilOutgrewTheMachine(anvil);
                if (problem != null || minted >= target) {
                    break;
                }
                if (next - mined >= AHEAD || (next - first) * batch >= target) {
                    Thread.sleep(100);
                    continue;
                }
                List<List<Object>> raw = new ArrayList<>();
                for (int i = 0; i < 10 && (next - first) * batch < target; i++, next++) {
                    RawTransaction tx = RawTransaction.createTransaction(AnvilProcess.CHAIN_ID, BigInteger.valueOf(next),
                            BigInteger.valueOf(gasLimit), collection.lowerCase(), BigInteger.ZERO,
                            Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(batch)), tip, maxFee);
                    raw.add(List.of("0x" + HexFormat.of().formatHex(TransactionEncoder.signMessage(tx, credentials))));
                }
                rpc.batch("eth_sendRawTransaction", raw);
            }
            if (problem == null) {
                // The tokens counted from the nonce are the contract's own: every mined batch minted all of its tokens.
                long supply = rpc.totalSupply(collection).longValueExact();
                if (supply != minted) {
                    problem = "the collection holds " + supply + " tokens, not the " + minted + " mined";
                }
            }
        }
        String report = report(options, spec, batch, steps, problem);
        Path file = options.out().resolve("chain-scale.md");
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(report);
        System.out.println("bench: report written to " + file.toAbsolutePath());
        return problem == null;
    }

    private static String report(DistributionBenchmark.Options options, DistributionBenchmark.ChainSpec spec, int batch,
            List<Step> steps, String problem) {
        StringBuilder out = new StringBuilder("# bin/bench --chain-scale\n\n`").append(options.commandLine())
                .append("` — commit ").append(System.getProperty("bench.commit", "unknown")).append(", load ")
                .append(DistributionBenchmark.loadAverage()).append("\n\nThe chain alone (")
                .append(spec.name()).append(", anvil ").append(String.join(" ", ScaleModes.anvilArgs(spec)))
                .append(", a block every ").append(ScaleModes.BLOCK_TIME.toSeconds()).append(" s by `evm_mine`")
                .append("): pre-signed mints of ").append(batch).append(" fresh recipients each, sent straight to the node.\n\n")
                .append("| tokens in the collection | s since the first send | tokens/s over the step | anvil resident GB |"
                        + " anvil CPU s over the step |\n|---:|---:|---:|---:|---:|\n");
        for (Step s : steps) {
            out.append("| ").append(String.format(Locale.ROOT, "%,d", s.tokens())).append(" | ")
                    .append(fmt("%.0f", s.seconds())).append(" | ").append(fmt("%.0f", s.tokensPerSecond())).append(" | ")
                    .append(fmt("%.1f", s.anvilGb())).append(" | ").append(fmt("%.1f", s.anvilCpuSeconds())).append(" |\n");
        }
        out.append("\n").append(problem == null ? "Every step mined; the collection's totalSupply matches." : "Stopped: "
                + problem).append("\n");
        return out.toString();
    }

    /** anvil's resident memory in GB; NaN where there is no /proc. */
    private static double residentGb(ProcessHandle process) {
        try {
            return ScaleModes.kibibytes(Path.of("/proc/" + process.pid() + "/status"), "VmRSS:") / 1048576.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String fmt(String format, Object... args) {
        return DistributionBenchmark.fmt(format, args);
    }
}
