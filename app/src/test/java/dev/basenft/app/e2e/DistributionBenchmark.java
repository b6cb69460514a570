package dev.basenft.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.core.model.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;

/**
 * {@code bin/bench}: a real distribution end to end (HTTP → PostgreSQL → Redis → worker → anvil, the fat jar's own
 * {@code server} and {@code worker} processes) side by side with what the same anvil can take when nothing is in the way
 * (pre-signed full batches sent straight to it) and with the naive way (one {@code safeMint} per recipient, each receipt
 * awaited), on anvil's default 30M gas blocks and on Base-like 400M gas blocks, both with 2 s blocks. Every recipient of
 * every run is checked on chain. Not a test: nothing asserts a figure, and it never runs in {@code bin/test}; it is
 * compiled with the tests so that it cannot rot. See docs/benchmarks.md.
 */
public final class DistributionBenchmark {

    /** EIP-7825's per-transaction gas cap, which Base applies: 2^24. */
    private static final long TX_GAS_CAP = 16_777_216L;
    static final int BLOCK_SECONDS = 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static final String USAGE = """
            usage: bin/bench [--quick] [--chains 30m,400m] [--recipients N | --recipients-30m N --recipients-400m N]
                             [--batch-size N] [--max-in-flight N] [--concurrency N] [--naive N] [--ceiling-blocks N]
                             [--set NAME=VALUE]... [--jfr] [--out DIR]
              --quick           1,000 recipients on the 30M chain only, small ceiling and naive runs (about 2 minutes)
              --chains          which chains: 30m (anvil's default block gas limit), 400m (anvil --gas-limit 400000000)
              --recipients      recipients of each base-nft run (default 10000 on 30m, 20000 on 400m)
              --batch-size, --max-in-flight, --concurrency
                                add a run with BATCH_SIZE, MAX_IN_FLIGHT, WORKER_CONCURRENCY set, beside the defaults' run
              --naive           recipients of the one-safeMint-each baseline (default 15; 3 with --quick)
              --ceiling-blocks  blocks' worth of pre-signed full batches for the chain's ceiling (default 10; 3 with --quick)
              --set NAME=VALUE  any other setting (README, Configuration) for the server and workers, e.g.
                                --set RECEIPT_POLL_MS=2000; like --batch-size, it adds a run beside the defaults'
              --jfr             record the worker with JFR (settings=profile) into the output directory
              --out             where report.md and the processes' logs go (default target/bench)
            modes (each instead of the runs above; anvil's base fee starts at 1 wei, a block every 2 s by evm_mine):
              --scale [N]       one campaign of N recipients (default 1000000) on 400M blocks, server and worker at
                                -Xmx256m: upload time through HTTP, POST distribute (planning + enqueueing), time to
                                COMPLETED, heap peaks
              --campaigns N     the 400M run's recipients split over N campaigns, all distributed at once: per campaign
                                its first mined block, first mint and completion times
              --workers N       the 400M run with one worker process, then with N on the same wallet
              --warm-up N       in each mode run, first distribute a campaign of N recipients through the same server
                                and workers (timed, checked on chain, reported apart), so the run after it measures
                                processes whose code the JIT has compiled, as a worker is after its first drop
              --chain-scale [N] no base-nft: pre-signed full batches sent straight to anvil until one collection holds
                                N tokens (default 1000000), on the --scale run's chain; the chain's own rate and
                                anvil's memory at every 50,000 tokens
              (the --batch-size, --max-in-flight, --concurrency settings apply to the mode runs)
            """;

    private DistributionBenchmark() {
    }

    /** A chain to measure on. {@code gasLimitArg} is empty for anvil's default. */
    record ChainSpec(String name, Optional<Long> gasLimitArg) {

        String[] anvilArgs() {
            List<String> args = new ArrayList<>(List.of("--block-time", Integer.toString(BLOCK_SECONDS)));
            gasLimitArg.ifPresent(limit -> args.addAll(List.of("--gas-limit", Long.toString(limit))));
            return args.toArray(String[]::new);
        }

        static ChainSpec parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "30m" -> new ChainSpec("30m", Optional.empty());
                case "400m" -> new ChainSpec("400m", Optional.of(400_000_000L));
                default -> throw new IllegalArgumentException("--chains takes 30m and/or 400m, got '" + text + "'");
            };
        }
    }

    /** The command line, checked. */
    record Options(boolean quick, List<ChainSpec> chains, Map<String, Integer> recipients, Map<String, String> overrides,
            int naive, int ceilingBlocks, boolean jfr, Path out, Path jar, String commandLine, int scale, int campaigns,
            int workers, int chainScale, int warmUp) {

        static Options parse(String[] args, Path jar, String commandLine) {
            boolean quick = List.of(args).contains("--quick");
            List<ChainSpec> chains = quick ? List.of(ChainSpec.parse("30m"))
                    : List.of(ChainSpec.parse("30m"), ChainSpec.parse("400m"));
            Map<String, Integer> recipients = new LinkedHashMap<>(quick ? Map.of("30m", 1_000, "400m", 1_000)
                    : Map.of("30m", 10_000, "400m", 20_000));
            Map<String, String> overrides = new LinkedHashMap<>();
            int naive = quick ? 3 : 15;
            int ceilingBlocks = quick ? 3 : 10;
            boolean jfr = false;
            Path out = Path.of("target/bench");
            int scale = 0;
            int campaigns = 0;
            int workers = 0;
            int chainScale = 0;
            int warmUp = 0;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--quick" -> { }
                    case "--jfr" -> jfr = true;
                    case "--chains" -> chains = List.of(value(args, ++i, arg).split(",")).stream()
                            .map(ChainSpec::parse).distinct().toList();
                    case "--recipients" -> {
                        int n = positive(args, ++i, arg, 1_000_000);
                        recipients.replaceAll((k, v) -> n);
                    }
                    case "--recipients-30m" -> recipients.put("30m", positive(args, ++i, arg, 1_000_000));
                    case "--recipients-400m" -> recipients.put("400m", positive(args, ++i, arg, 1_000_000));
                    case "--batch-size" -> overrides.put("BATCH_SIZE", Integer.toString(positive(args, ++i, arg, 349)));
                    case "--max-in-flight" -> overrides.put("MAX_IN_FLIGHT",
                            Integer.toString(positive(args, ++i, arg, 1000)));
                    case "--concurrency" -> overrides.put("WORKER_CONCURRENCY",
                            Integer.toString(positive(args, ++i, arg, 256)));
                    case "--set" -> {
                        String setting = value(args, ++i, arg);
                        int equals = setting.indexOf('=');
                        if (equals < 1 || !setting.substring(0, equals).matches("[A-Z][A-Z0-9_]*")) {
                            throw new IllegalArgumentException("--set takes NAME=VALUE with an upper-case NAME, got '"
                                    + setting + "'");
                        }
                        overrides.put(setting.substring(0, equals), setting.substring(equals + 1));
                    }
                    case "--naive" -> naive = positive(args, ++i, arg, 10_000);
                    case "--ceiling-blocks" -> ceilingBlocks = positive(args, ++i, arg, 100);
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--scale" -> scale = i + 1 < args.length && !args[i + 1].startsWith("--")
                            ? positive(args, ++i, arg, 10_000_000) : 1_000_000;
                    case "--campaigns" -> campaigns = positive(args, ++i, arg, 1000);
                    case "--workers" -> workers = positive(args, ++i, arg, 16);
                    case "--warm-up" -> warmUp = positive(args, ++i, arg, 1_000_000);
                    case "--chain-scale" -> chainScale = i + 1 < args.length && !args[i + 1].startsWith("--")
                            ? positive(args, ++i, arg, 10_000_000) : 1_000_000;
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
            if (chains.isEmpty()) {
                throw new IllegalArgumentException("--chains names no chain");
            }
            return new Options(quick, chains, recipients, overrides, naive, ceilingBlocks, jfr, out, jar, commandLine,
                    scale, campaigns, workers, chainScale, warmUp);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String[] args, int i, String option, int max) {
            String text = value(args, i, option);
            try {
                int n = Integer.parseInt(text);
                if (n < 1 || n > max) {
                    throw new IllegalArgumentException(option + " must be 1.." + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, got '" + text + "'", e);
            }
        }
    }

    /** What the worker process used during the distribution. */
    record WorkerUse(double cpuSeconds, double wallSeconds, long heapPeakBytes, long heapAfterGcMaxBytes, int gcCount,
            double gcPauseMillis, long rssPeakBytes, double serverCpuSeconds, double anvilCpuSeconds) {
    }

    /** One row of the table: what one run did, measured on the chain. */
    record Row(String chain, String run, String settings, int recipients, double wallSeconds, List<Long> latencyNanos,
            Map<Long, Integer> recipientsPerBlock, List<BenchChain.Block> blocks, long gasUsed,
            Optional<WorkerUse> worker, List<String> problems, int transactions, long gasAsked,
            Map<Long, Integer> transactionsPerBlock) {

        /** Whether the run spans a block strictly inside it, between the ramp (first block) and the tail (last). */
        boolean steady() {
            return blocks.size() >= 3;
        }

        /** Recipients per second over the blocks strictly inside the run (the first and last are ramp and tail). */
        double steadyRate() {
            if (!steady()) {
                throw new IllegalStateException("a run of " + blocks.size() + " block(s) has no steady state");
            }
            List<BenchChain.Block> inner = blocks.subList(1, blocks.size() - 1);
            long minted = inner.stream().mapToLong(b -> recipientsPerBlock.getOrDefault(b.number(), 0)).sum();
            long seconds = blocks.get(blocks.size() - 2).timestamp() - blocks.getFirst().timestamp();
            return minted / (double) (seconds > 0 ? seconds : inner.size() * BLOCK_SECONDS);
        }

        double wallRate() {
            return recipients / wallSeconds;
        }

        double gasPerRecipient() {
            return gasUsed / (double) recipients;
        }

        List<Double> fills() {
            return blocks.stream().map(BenchChain.Block::fill).toList();
        }

        double latencyPercentile(double p) {
            List<Long> sorted = latencyNanos.stream().sorted().toList();
            int rank = (int) Math.ceil(p / 100 * sorted.size());
            return sorted.get(Math.max(0, rank - 1)) / 1e9;
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "app/target/base-nft-app.jar"));
        if (List.of(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args, jar, System.getProperty("bench.command", "bin/bench " + String.join(" ", args)));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(jar)) {
            System.err.println("bench: no fat jar at " + jar + " (bin/bench builds it)");
            System.exit(2);
        }
        Files.createDirectories(options.out());
        if (options.chainScale() > 0) {
            System.exit(ChainScaleMode.run(options) ? 0 : 1);
            return;
        }
        if (options.scale() > 0 || options.campaigns() > 0 || options.workers() > 0) {
            System.exit(ScaleModes.run(options) ? 0 : 1);
            return;
        }
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        List<Row> rows = new ArrayList<>();
        Map<String, Long> blockGasLimits = new LinkedHashMap<>();
        for (ChainSpec chain : options.chains()) {
            // The report is rewritten after every run, so a run that breaks leaves the ones before it on record.
            rows.add(ceiling(chain, options, blockGasLimits));
            writeReport(options, rows, blockGasLimits, loadBefore, started);
            rows.add(naive(chain, options));
            writeReport(options, rows, blockGasLimits, loadBefore, started);
            rows.add(distribution(chain, options, Map.of(), "defaults"));
            writeReport(options, rows, blockGasLimits, loadBefore, started);
            if (!options.overrides().isEmpty()) {
                rows.add(distribution(chain, options, options.overrides(), options.overrides().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
                writeReport(options, rows, blockGasLimits, loadBefore, started);
            }
        }
        String report = report(options, rows, blockGasLimits, loadBefore, loadAverage(), started, Instant.now());
        Path file = options.out().resolve("report.md");
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(report);
        System.out.println("bench: report written to " + file.toAbsolutePath());
        boolean clean = rows.stream().allMatch(r -> r.problems().isEmpty());
        System.exit(clean ? 0 : 1);
    }

    private static void writeReport(Options options, List<Row> rows, Map<String, Long> blockGasLimits, String loadBefore,
            Instant started) throws IOException {
        Files.writeString(options.out().resolve("report.md"), report(options, rows, blockGasLimits, loadBefore,
                loadAverage(), started, Instant.now()), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------- the runs

    /** Full batches, pre-signed, sent to the node at once: what the chain takes with nothing in the way. */
    private static Row ceiling(ChainSpec spec, Options options, Map<String, Long> blockGasLimits) {
        progress("[bench] {0}: chain ceiling", spec.name());
        try (DevChain chain = DevChain.start(spec.anvilArgs())) {
            BenchChain rpc = new BenchChain(chain.anvil.url());
            long blockGasLimit = rpc.block(rpc.blockNumber()).gasLimit();
            blockGasLimits.put(spec.name(), blockGasLimit);
            Address collection = chain.createCollection("Ceiling", "CEIL", "ipfs://ceiling/");
            // One mint first, so the counter is no longer zero and every measured batch costs the same.
            List<Address> warmUp = DevChain.freshAddresses(1);
            chain.rpc.sendOk(chain.minter, collection, Abi.mintBatch(DevChain.randomKey(), warmUp));
            long one = estimate(chain, collection, 1);
            long hundred = estimate(chain, collection, 100);
            double perRecipient = (hundred - one) / 99.0;
            double fixed = one - perRecipient;
            // The batch size that packs the most recipients into a block, each transaction under the per-tx cap.
            int best = 1;
            long bestPerBlock = 0;
            for (int k = 1; k <= 349; k++) {
                long gas = (long) Math.ceil(fixed + perRecipient * k) + 2_000;
                if (gas > Math.min(TX_GAS_CAP, blockGasLimit)) {
                    break;
                }
                long perBlock = (blockGasLimit / gas) * k;
                if (perBlock >= bestPerBlock) {
                    best = k;
                    bestPerBlock = perBlock;
                }
            }
            int batch = best;
            long gasLimit = estimate(chain, collection, batch) + 2_000;
            int txsPerBlock = (int) (blockGasLimit / gasLimit);
            int txs = txsPerBlock * options.ceilingBlocks();
            Credentials credentials = Credentials.create(DevChain.MINTER_KEY_HEX);
            long nonce = chain.rpc.nonce(chain.minter, "pending");
            BigInteger maxFee = BigInteger.valueOf(200_000_000_000L);
            BigInteger tip = BigInteger.valueOf(1_000_000_000L);
            List<String> raw = new ArrayList<>(txs);
            List<List<Address>> recipients = new ArrayList<>(txs);
            for (int i = 0; i < txs; i++) {
                List<Address> to = DevChain.freshAddresses(batch);
                recipients.add(to);
                RawTransaction tx = RawTransaction.createTransaction(AnvilProcess.CHAIN_ID, BigInteger.valueOf(nonce + i),
                        BigInteger.valueOf(gasLimit), collection.lowerCase(), BigInteger.ZERO,
                        Abi.mintBatch(DevChain.randomKey(), to), tip, maxFee);
                raw.add("0x" + HexFormat.of().formatHex(TransactionEncoder.signMessage(tx, credentials)));
            }
            progress("[bench] {0}: {1,number,#} transactions of {2,number,#} recipients"
                    + " ({3,number,#} gas each, {4,number,#} a block) signed", spec.name(), txs, batch, gasLimit, txsPerBlock);
            try (BenchChain.BlockWatcher watcher = rpc.new BlockWatcher()) {
                double anvilCpu0 = cpuSeconds(chain.anvil.handle());
                long t0 = System.nanoTime();
                // Sixteen to a request: 240 full transactions in one JSON-RPC batch (5 MB) are refused by anvil.
                List<String> hashes = new ArrayList<>(txs);
                for (int from = 0; from < txs; from += 16) {
                    rpc.batch("eth_sendRawTransaction", raw.subList(from, Math.min(txs, from + 16)).stream()
                            .map(r -> List.<Object>of(r)).toList()).forEach(h -> hashes.add(h.asText()));
                }
                long target = nonce + txs;
                awaitNonce(chain, target, Duration.ofMinutes(5));
                long t1 = System.nanoTime();
                // What executing the blocks costs the node on this machine, beside the base-nft runs' figure.
                progress("[bench] {0}: chain ceiling: anvil used {1} CPU s over {2} s", spec.name(),
                        fmt("%.1f", cpuSeconds(chain.anvil.handle()) - anvilCpu0), fmt("%.1f", (t1 - t0) / 1e9));
                Map<String, Integer> count = new LinkedHashMap<>();
                hashes.forEach(h -> count.put(h, batch));
                Row row = measured(spec.name(), "chain ceiling", "pre-signed, " + batch + " per tx, " + txsPerBlock
                        + " tx per block", rpc, watcher, hashes, count, t0, t1, h -> t0, Optional.empty(), List.of());
                Map<Address, BigInteger> tokenIds = new LinkedHashMap<>();
                long id = 2; // token 1 went to the warm-up mint
                for (List<Address> to : recipients) {
                    for (Address a : to) {
                        tokenIds.put(a, BigInteger.valueOf(id++));
                    }
                }
                tokenIds.put(warmUp.getFirst(), BigInteger.ONE);
                return withProblems(row, verifySafely(rpc, collection, tokenIds));
            }
        }
    }

    /** One safeMint per recipient, sent one after another, each receipt awaited. */
    private static Row naive(ChainSpec spec, Options options) {
        progress("[bench] {0}: naive baseline, {1,number,#} recipients", spec.name(),
                options.naive());
        try (DevChain chain = DevChain.start(spec.anvilArgs())) {
            BenchChain rpc = new BenchChain(chain.anvil.url());
            Address collection = chain.createCollection("Naive", "NAIVE", "ipfs://naive/");
            List<Address> recipients = DevChain.freshAddresses(options.naive());
            try (BenchChain.BlockWatcher watcher = rpc.new BlockWatcher()) {
                Map<String, Long> sentAt = new LinkedHashMap<>();
                long t0 = System.nanoTime();
                for (Address to : recipients) {
                    long sent = System.nanoTime();
                    String hash = chain.rpc.send(chain.minter, collection, Abi.safeMint(to), null);
                    sentAt.put(hash, sent);
                    awaitReceipt(rpc, hash, Duration.ofMinutes(1));
                }
                long t1 = System.nanoTime();
                List<String> hashes = new ArrayList<>(sentAt.keySet());
                Map<String, Integer> count = new LinkedHashMap<>();
                hashes.forEach(h -> count.put(h, 1));
                Row row = measured(spec.name(), "naive baseline", "safeMint each, receipt awaited", rpc, watcher, hashes,
                        count, t0, t1, sentAt::get, Optional.empty(), List.of());
                Map<Address, BigInteger> tokenIds = new LinkedHashMap<>();
                for (int i = 0; i < recipients.size(); i++) {
                    tokenIds.put(recipients.get(i), BigInteger.valueOf(i + 1));
                }
                return withProblems(row, verifySafely(rpc, collection, tokenIds));
            }
        }
    }

    /** The product: the fat jar's server and worker over PostgreSQL, Redis and anvil, one campaign through the API. */
    private static Row distribution(ChainSpec spec, Options options, Map<String, String> overrides, String settings)
            throws Exception {
        int count = options.recipients().get(spec.name());
        progress("[bench] {0}: base-nft, {1}, {2,number,#} recipients", spec.name(), settings,
                count);
        Path dir = options.out().resolve(spec.name() + "-" + (overrides.isEmpty() ? "defaults" : "overrides"));
        Files.createDirectories(dir);
        try (Infrastructure infra = Infrastructure.start(spec.anvilArgs())) {
            Map<String, String> env = new LinkedHashMap<>(infra.environment());
            env.putAll(overrides);
            Map<String, String> serverEnv = new LinkedHashMap<>(env);
            int port = AnvilProcess.freePort();
            serverEnv.put("HOST", "127.0.0.1");
            serverEnv.put("PORT", Integer.toString(port));
            List<String> workerJvm = new ArrayList<>(List.of("-Xlog:gc:file=" + dir.resolve("worker-gc.log")));
            if (options.jfr()) {
                workerJvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("worker.jfr") + ",settings=profile");
            }
            Process server = launch(options.jar(), List.of(), serverEnv, dir.resolve("server.log"), "server");
            Process worker = launch(options.jar(), workerJvm, env, dir.resolve("worker.log"), "worker");
            try {
                awaitHealthy(server, port, dir.resolve("server.log"));
                awaitLine(worker, dir.resolve("worker.log"), "[worker] Distribution worker started");
                Api api = new Api(port);
                String id = api.createCampaign("Bench drop");
                JsonNode deploy = api.deployTransaction(id, infra.chain.creator);
                String deployHash = infra.chain.rpc.sendOk(infra.chain.creator, Address.parse(deploy.get("to").asText()),
                        deploy.get("data").asText()).get("transactionHash").asText();
                Address collection = Address.parse(api.attach(id, deployHash).get("contract").asText());
                List<Address> recipients = DevChain.freshAddresses(count);
                api.uploadCsv(id, "address\n" + recipients.stream().map(Address::toString).collect(Collectors.joining("\n")));
                BenchChain rpc = new BenchChain(infra.chain.anvil.url());
                try (BenchChain.BlockWatcher watcher = rpc.new BlockWatcher()) {
                    double workerCpu0 = cpuSeconds(worker);
                    double serverCpu0 = cpuSeconds(server);
                    double anvilCpu0 = cpuSeconds(infra.chain.anvil.handle());
                    long t0 = System.nanoTime();
                    api.distribute(id);
                    JsonNode done = awaitFinished(api, id, Duration.ofSeconds(Math.max(300, count / 20)));
                    long t1 = System.nanoTime();
                    double workerCpu = cpuSeconds(worker) - workerCpu0;
                    double serverCpu = cpuSeconds(server) - serverCpu0;
                    double anvilCpu = cpuSeconds(infra.chain.anvil.handle()) - anvilCpu0;
                    long rss = rssPeakBytes(worker);
                    long heapNow = heapUsedBytes(worker);
                    progress("[bench] {0}: distribute to {1} in {2} s; checking {3,number,#} recipients on chain",
                            spec.name(), done.get("status").asText(), fmt("%.1f", (t1 - t0) / 1e9), count);
                    List<String> problems = new ArrayList<>();
                    if (!done.get("status").asText().equals("COMPLETED")) {
                        problems.add("campaign ended " + done.get("status").asText() + ": " + done.get("counts"));
                    }
                    Map<Address, BigInteger> tokenIds = new LinkedHashMap<>();
                    Map<Address, String> txOf = new LinkedHashMap<>();
                    readRecipients(infra, id, tokenIds, txOf);
                    Map<String, Integer> perTx = new LinkedHashMap<>();
                    txOf.values().forEach(h -> perTx.merge(h, 1, Integer::sum));
                    List<String> hashes = new ArrayList<>(perTx.keySet());
                    GcLog gc = GcLog.read(dir.resolve("worker-gc.log"));
                    WorkerUse use = new WorkerUse(workerCpu, (t1 - t0) / 1e9, Math.max(gc.peakBytes, heapNow), gc.afterMaxBytes, gc.count,
                            gc.pauseMillis, rss, serverCpu, anvilCpu);
                    Row row = measured(spec.name(), "base-nft", settings, rpc, watcher, hashes, perTx, t0, t1, h -> t0,
                            Optional.of(use), problems);
                    if (tokenIds.size() != count) {
                        problems.add("the database holds " + tokenIds.size() + " minted recipients of " + count);
                    }
                    for (Address a : recipients) {
                        tokenIds.putIfAbsent(a, BigInteger.ZERO); // token 0 is never minted: ownerOf reverts, reported
                    }
                    return withProblems(row, verifySafely(rpc, collection, tokenIds));
                }
            } finally {
                stop(worker);
                stop(server);
            }
        }
    }

    private static List<String> verifySafely(BenchChain rpc, Address collection, Map<Address, BigInteger> tokenIds) {
        try {
            return rpc.verify(collection, tokenIds);
        } catch (RuntimeException e) {
            return List.of("on-chain check failed: " + e.getMessage());
        }
    }

    /** The figures of a run whose transactions are {@code hashes}, each minting {@code recipientsPerTx} recipients. */
    private static Row measured(String chain, String run, String settings, BenchChain rpc, BenchChain.BlockWatcher watcher,
            List<String> hashes, Map<String, Integer> recipientsPerTx, long t0, long t1,
            java.util.function.Function<String, Long> startOf, Optional<WorkerUse> worker, List<String> problems) {
        List<BenchChain.Receipt> receipts = rpc.receipts(hashes);
        List<String> all = new ArrayList<>(problems);
        Map<Long, Integer> perBlock = new LinkedHashMap<>();
        List<Long> latencies = new ArrayList<>();
        long gas = 0;
        int recipients = 0;
        for (BenchChain.Receipt r : receipts) {
            int n = recipientsPerTx.get(r.hash());
            if (!r.success()) {
                all.add("transaction " + r.hash() + " reverted");
            }
            gas += r.gasUsed();
            recipients += n;
            perBlock.merge(r.blockNumber(), n, Integer::sum);
            long latency = watcher.seenAt(r.blockNumber()) - startOf.apply(r.hash());
            for (int i = 0; i < n; i++) {
                latencies.add(latency);
            }
        }
        // The gas each transaction asked for: a block is packed by what its transactions ask, not by what they use.
        long asked = rpc.batch("eth_getTransactionByHash", hashes.stream().map(h -> List.<Object>of(h)).toList()).stream()
                .mapToLong(tx -> BenchChain.quantity(tx.get("gas"))).sum();
        Map<Long, Integer> txsPerBlock = new LinkedHashMap<>();
        receipts.forEach(r -> txsPerBlock.merge(r.blockNumber(), 1, Integer::sum));
        long first = perBlock.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = perBlock.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        return new Row(chain, run, settings, recipients, (t1 - t0) / 1e9, latencies, perBlock, rpc.blocks(first, last), gas,
                worker, all, receipts.size(), asked, txsPerBlock);
    }

    private static Row withProblems(Row row, List<String> more) {
        List<String> all = new ArrayList<>(row.problems());
        all.addAll(more);
        if (!all.isEmpty()) {
            progress("[bench] {0} {1}: {2,number,#} problem(s), first: {3}", row.chain(), row.run(),
                    all.size(), all.getFirst());
        }
        return new Row(row.chain(), row.run(), row.settings(), row.recipients(), row.wallSeconds(), row.latencyNanos(),
                row.recipientsPerBlock(), row.blocks(), row.gasUsed(), row.worker(), all, row.transactions(), row.gasAsked(),
                row.transactionsPerBlock());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    static long estimate(DevChain chain, Address collection, int recipients) {
        Map<String, String> call = new LinkedHashMap<>();
        call.put("from", chain.minter.lowerCase());
        call.put("to", collection.lowerCase());
        call.put("data", Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(recipients)));
        return BenchChain.quantity(chain.rpc.call("eth_estimateGas", call));
    }

    private static void awaitNonce(DevChain chain, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (chain.rpc.nonce(chain.minter, "latest") < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pre-signed batches were not all mined within " + timeout);
            }
            sleep(20);
        }
    }

    private static void awaitReceipt(BenchChain rpc, String hash, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode receipt = rpc.call("eth_getTransactionReceipt", hash);
            if (receipt != null && !receipt.isNull()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(hash + " was not mined within " + timeout);
            }
            sleep(20);
        }
    }

    private static JsonNode awaitFinished(Api api, String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode campaign = api.campaign(id);
            String status = campaign.get("status").asText();
            if (status.equals("COMPLETED") || status.equals("FAILED")) {
                return campaign;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("campaign " + id + " still " + status + " after " + timeout + ": "
                        + campaign.get("counts"));
            }
            sleep(100);
        }
    }

    /** The database's minted recipients of the campaign: token id and transaction hash of each. */
    static void readRecipients(Infrastructure infra, String campaign, Map<Address, BigInteger> tokenIds,
            Map<Address, String> txOf) throws Exception {
        try (Connection c = infra.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT address, token_id, tx_hash FROM recipients WHERE campaign_id = ? AND status = 'COMPLETED'")) {
            s.setObject(1, UUID.fromString(campaign));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Address address = Address.ofBytes(rs.getBytes(1));
                    tokenIds.put(address, rs.getBigDecimal(2).toBigIntegerExact());
                    txOf.put(address, "0x" + HexFormat.of().formatHex(rs.getBytes(3)));
                }
            }
        }
    }

    static Process launch(Path jar, List<String> jvm, Map<String, String> env, Path log, String command)
            throws IOException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        line.addAll(jvm);
        line.addAll(List.of("-jar", jar.toString(), command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    static void awaitHealthy(Process server, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the server did not start; its log:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(200);
        }
    }

    static void awaitLine(Process process, Path log, String line) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("no '" + line + "'; the log:\n" + Files.readString(log));
            }
            sleep(100);
        }
    }

    static void stop(Process process) {
        process.destroy(); // SIGTERM: the worker finishes what it holds
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** User plus system CPU of the process so far, as the kernel counts it ({@code /proc/<pid>/stat}). */
    private static double cpuSeconds(Process process) {
        return cpuSeconds(process.toHandle());
    }

    static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** The process's peak resident set ({@code VmHWM} of {@code /proc/<pid>/status}); 0 where there is no /proc. */
    private static long rssPeakBytes(Process process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: the column says 0
        }
        return 0;
    }

    /**
     * The heap in use right now, read once with {@code jcmd <pid> GC.heap_info} (after the run, so the extra JVM it starts
     * does not weigh on the measurement); 0 when jcmd cannot tell. Covers a run too short for any collection.
     */
    static long heapUsedBytes(Process process) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            Matcher used = Pattern.compile("heap .*used (\\d+)K").matcher(out);
            return used.find() ? Long.parseLong(used.group(1)) << 10 : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** What {@code -Xlog:gc} wrote: the heap in use before and after each collection, and the pauses. */
    record GcLog(long peakBytes, long afterMaxBytes, int count, double pauseMillis) {

        private static final Pattern PAUSE = Pattern.compile("Pause.* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms");

        static GcLog read(Path file) throws IOException {
            long peak = 0;
            long afterMax = 0;
            int count = 0;
            double pause = 0;
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = PAUSE.matcher(line);
                    if (m.find()) {
                        peak = Math.max(peak, bytes(m.group(1), m.group(2)));
                        afterMax = Math.max(afterMax, bytes(m.group(3), m.group(4)));
                        count++;
                        pause += Double.parseDouble(m.group(7));
                    }
                }
            }
            return new GcLog(peak, afterMax, count, pause);
        }

        private static long bytes(String number, String unit) {
            long n = Long.parseLong(number);
            return switch (unit) {
                case "K" -> n << 10;
                case "M" -> n << 20;
                default -> n << 30;
            };
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------- the report

    private static String report(Options options, List<Row> rows, Map<String, Long> blockGasLimits, String loadBefore,
            String loadAfter, Instant started, Instant finished) {
        StringBuilder out = new StringBuilder();
        out.append("# bin/bench report\n\n");
        out.append("- command: `").append(options.commandLine()).append("`\n");
        out.append("- commit: ").append(System.getProperty("bench.commit", "unknown")).append('\n');
        out.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(", Java ")
                .append(Runtime.version()).append('\n');
        out.append("- load average (1/5/15 min): before ").append(loadBefore).append(", after ").append(loadAfter)
                .append('\n');
        out.append("- ran ").append(started).append(" to ").append(finished).append('\n');
        for (Map.Entry<String, Long> e : blockGasLimits.entrySet()) {
            out.append("- chain ").append(e.getKey()).append(": anvil, ").append(BLOCK_SECONDS).append(" s blocks, block gas limit ")
                    .append(e.getValue()).append('\n');
        }
        out.append("\n| chain | run | settings | recipients | wall s | recipients/s (wall) | recipients/s (steady) | % of ceiling"
                + " | gas/recipient | block fill median (min–max) | distribute→mined p50 / p99 s | worker CPU s (% of a core)"
                + " | worker heap peak / live max / RSS peak MB | on chain |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---|---|\n");
        for (Row r : rows) {
            Optional<Row> ceiling = rows.stream().filter(c -> c.chain().equals(r.chain()) && c.run().equals("chain ceiling"))
                    .findFirst();
            List<Double> fills = r.fills().stream().sorted().toList();
            out.append("| ").append(r.chain()).append(" | ").append(r.run()).append(" | ").append(r.settings())
                    .append(" | ").append(r.recipients())
                    .append(" | ").append(fmt("%.1f", r.wallSeconds()))
                    .append(" | ").append(fmt("%.1f", r.wallRate()))
                    .append(" | ").append(r.steady() ? fmt("%.1f", r.steadyRate()) : "— (" + r.blocks().size() + " block(s))")
                    .append(" | ").append(ceiling.filter(c -> c.steady() && r.steady())
                            .map(c -> percent(r.steadyRate() / c.steadyRate())).orElse("—"))
                    .append(" | ").append(fmt("%.0f", r.gasPerRecipient()))
                    .append(" | ").append(fmt("%.0f %%", 100 * fills.get(fills.size() / 2))).append(" (")
                    .append(fmt("%.0f", 100 * fills.getFirst())).append("–").append(fmt("%.0f %%", 100 * fills.getLast()))
                    .append(")")
                    .append(" | ").append(fmt("%.2f / %.2f", r.latencyPercentile(50), r.latencyPercentile(99)))
                    .append(" | ").append(r.worker().map(w -> fmt("%.1f (%.0f %%)", w.cpuSeconds(),
                            100 * w.cpuSeconds() / w.wallSeconds())).orElse("—"))
                    .append(" | ").append(r.worker().map(w -> fmt("%d / %d / %d", w.heapPeakBytes() >> 20,
                            w.heapAfterGcMaxBytes() >> 20, w.rssPeakBytes() >> 20)).orElse("—"))
                    .append(" | ").append(r.problems().isEmpty() ? "all " + r.recipients() + " hold exactly their token"
                            : r.problems().size() + " problem(s)")
                    .append(" |\n");
        }
        out.append("\nChain capacity by gas (block gas limit ÷ ").append(BLOCK_SECONDS)
                .append(" s ÷ the ceiling run's gas per recipient):");
        for (Row r : rows) {
            if (r.run().equals("chain ceiling")) {
                out.append(' ').append(r.chain()).append(' ')
                        .append(fmt("%.0f/s", blockGasLimits.get(r.chain()) / (double) BLOCK_SECONDS / r.gasPerRecipient()))
                        .append(';');
            }
        }
        out.append("\n\n## Per run\n");
        for (Row r : rows) {
            out.append("\n### ").append(r.chain()).append(", ").append(r.run()).append(", ").append(r.settings()).append("\n\n");
            out.append("- blocks ").append(r.blocks().getFirst().number()).append("–").append(r.blocks().getLast().number())
                    .append("; recipients and fill per block: ")
                    .append(r.blocks().stream().map(b -> r.recipientsPerBlock().getOrDefault(b.number(), 0) + " in "
                            + r.transactionsPerBlock().getOrDefault(b.number(), 0) + " tx @ " + fmt("%.0f %%", 100 * b.fill()))
                            .collect(Collectors.joining(", ")))
                    .append('\n');
            out.append("- ").append(r.transactions()).append(" transactions; gas asked (their gas limits) ÷ gas used: ")
                    .append(fmt("%.2f", r.gasAsked() / (double) r.gasUsed())).append('\n');
            out.append("- base fee at the last block: ").append(fmt("%.2f gwei",
                    new BigInteger(r.blocks().getLast().baseFeePerGas().substring(2), 16).doubleValue() / 1e9)).append('\n');
            r.worker().ifPresent(w -> out.append("- worker: ").append(fmt("%.1f", w.cpuSeconds())).append(" CPU s over ")
                    .append(fmt("%.1f", w.wallSeconds())).append(" s; heap peak ").append(w.heapPeakBytes() >> 20)
                    .append(" MB, largest heap after a collection ").append(w.heapAfterGcMaxBytes() >> 20).append(" MB, ")
                    .append(w.gcCount()).append(" pauses totalling ").append(fmt("%.0f", w.gcPauseMillis()))
                    .append(" ms (whole process life); RSS peak ").append(w.rssPeakBytes() >> 20)
                    .append(" MB; the server used ").append(fmt("%.1f", w.serverCpuSeconds())).append(" CPU s, anvil ")
                    .append(fmt("%.1f", w.anvilCpuSeconds())).append(" CPU s\n"));
            if (r.problems().isEmpty()) {
                out.append("- on chain: every recipient has balanceOf = 1 and ownerOf(its token id) = itself; totalSupply = ")
                        .append(r.recipients()).append('\n');
            } else {
                out.append("- PROBLEMS (").append(r.problems().size()).append("): ")
                        .append(String.join("; ", r.problems().subList(0, Math.min(10, r.problems().size())))).append('\n');
            }
        }
        return out.toString();
    }

    /** A progress line on stderr, so stdout holds only the report; numbers plainly, as the logs write them. */
    static void progress(String pattern, Object... args) {
        System.err.println(java.text.MessageFormat.format(pattern, args));
    }

    private static String percent(double share) {
        return fmt(share < 0.1 ? "%.1f %%" : "%.0f %%", 100 * share);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
