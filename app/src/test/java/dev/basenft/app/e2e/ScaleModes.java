package dev.basenft.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.core.model.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * {@code bin/bench --scale / --campaigns / --workers} (issue 18 part 4): the fat jar's server and worker(s) as processes,
 * as {@link DistributionBenchmark}'s base-nft runs, measuring what those runs do not — the upload and the planning of
 * one very large campaign under a 256 MB heap, the sharing of the wallet between many campaigns started at once, and two
 * worker processes on one wallet beside one. Every recipient of every campaign is checked on chain. Not a test.
 */
final class ScaleModes {

    /**
     * anvil's starting base fee for these runs, in wei. anvil raises the base fee by 12.5 % after every full block
     * (Ethereum's EIP-1559 parameters, and at least 1 wei). From 0.001 gwei, the 121 full blocks of a million recipients
     * at 400M gas passed the worker's 50 gwei ceiling (MAX_FEE_PER_GAS_GWEI) about 90 blocks in and stalled the run on
     * fees, which Base, whose base fee moves far more slowly and sits near 0.01 gwei, would not do. From 1 wei the same
     * blocks end near 0.005 gwei.
     */
    static final String BASE_FEE_WEI = "1";
    /**
     * anvil keeps every block's state in memory by default: at a million recipients it held 14 GB and answered too slowly
     * for the worker's RPC timeout. The worker reads at the head, so 4 states are plenty. anvil honours this bound only
     * without {@code --block-time} of 2 s or less, hence the {@link BlockClock}.
     */
    static final String KEPT_STATES = "4";
    /**
     * Blocks whose transactions anvil keeps. Without a bound it keeps every mined transaction with its execution
     * record, about 5 MB per 330-recipient mint: a million-recipient run took anvil past 19 GB of this machine's 24 by
     * three quarters of the way (with 16 states kept), and was stopped. 64 blocks (about two minutes) is far more than
     * the worker's receipt wait; the bench reads each transaction's block as it comes (BlockWatcher).
     */
    static final String KEPT_BLOCKS = "64";
    /** anvil may use this share of the machine's memory before a mode run is stopped (see {@link #KEPT_BLOCKS}). */
    static final double ANVIL_MEMORY_SHARE = 0.75;
    /** The mode runs' block time, as {@link DistributionBenchmark}'s chains. */
    static final Duration BLOCK_TIME = Duration.ofSeconds(DistributionBenchmark.BLOCK_SECONDS);

    /**
     * Why the run must stop because anvil has grown past {@link #ANVIL_MEMORY_SHARE} of the machine's memory, or null
     * while it has not (or /proc cannot tell). Without this, a million-recipient run on 24 GB took anvil to 20 GB and
     * would have gone on until the kernel killed something.
     */
    static String anvilOutgrewTheMachine(ProcessHandle anvil) {
        try {
            long rss = kibibytes(Path.of("/proc/" + anvil.pid() + "/status"), "VmRSS:");
            long total = kibibytes(Path.of("/proc/meminfo"), "MemTotal:");
            if (rss > 0 && total > 0 && rss > ANVIL_MEMORY_SHARE * total) {
                return String.format(java.util.Locale.ROOT, "anvil uses %.1f GB of the machine's %.1f GB (more than %.0f %%):"
                        + " the run was stopped before the machine ran out of memory (bin/bench --chain-scale shows what anvil"
                        + " alone uses; docs/benchmarks.md, Stop 26)",
                        rss / 1048576.0, total / 1048576.0, ANVIL_MEMORY_SHARE * 100);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): no guard
        }
        return null;
    }

    /** A field of a {@code /proc} status file in KiB, such as {@code VmRSS:}; 0 when the file does not have it. */
    static long kibibytes(Path file, String field) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** Recipients per upload request: about 10.8 MB of CSV, under the server's 16 MiB upload limit. */
    static final int UPLOAD_CHUNK = 250_000;

    private ScaleModes() {
    }

    /** One campaign of a mode run. */
    record CampaignFigures(String id, int recipients, double distributeSeconds, OptionalLong firstBlock,
            double firstMintSeconds, double completedSeconds, String status) {
    }

    /** A mode run: what it took and what the processes used. */
    record Figures(String mode, String chain, String settings, int recipients, int workers, double uploadSeconds,
            double distributeSeconds, double wallSeconds, List<CampaignFigures> campaigns, long serverHeapPeak,
            long serverLiveMax, List<Long> workerHeapPeaks, List<Long> workerLiveMax, String heapCap, int transactions,
            Map<Long, Integer> recipientsPerBlock, long blockAtPost, List<String> problems, WarmUp warmUp) {

        double rate() {
            return recipients / wallSeconds;
        }

        /**
         * Recipients per second over the blocks strictly between the run's first and last minting block (the ramp and
         * the tail), empty blocks among them included, at the chain's 2 s: what the wallet delivered once running,
         * without the start-up that the wall time also holds. NaN for a run of fewer than three blocks.
         */
        double steadyRate() {
            long first = recipientsPerBlock.keySet().stream().mapToLong(Long::longValue).min().orElse(0);
            long last = recipientsPerBlock.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            if (last - first < 2) {
                return Double.NaN;
            }
            long inner = recipientsPerBlock.entrySet().stream().filter(e -> e.getKey() > first && e.getKey() < last)
                    .mapToLong(Map.Entry::getValue).sum();
            return inner / ((last - first - 1) * (double) DistributionBenchmark.BLOCK_SECONDS);
        }

        /**
         * How many blocks after the one just before the POST the run's last mint came, then the blocks from its first
         * minting block to its last and the recipients in the first: two runs of the same recipients compare by these
         * without the status poll's noise. "—" when nothing was minted.
         */
        String blocksUsed() {
            if (recipientsPerBlock.isEmpty()) {
                return "—";
            }
            long first = recipientsPerBlock.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
            long last = recipientsPerBlock.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            return (last - blockAtPost) + " (" + (last - first + 1) + ", " + String.format("%,d",
                    recipientsPerBlock.get(first)) + ")";
        }
    }

    /**
     * anvil's arguments for the mode runs (and {@link ChainScaleMode}): {@code spec}'s gas limit and the bounds above, but
     * not its {@code --block-time}: these runs' blocks come from a {@link BlockClock} (see there why).
     */
    static String[] anvilArgs(DistributionBenchmark.ChainSpec spec) {
        List<String> args = new ArrayList<>();
        spec.gasLimitArg().ifPresent(limit -> args.addAll(List.of("--gas-limit", Long.toString(limit))));
        args.addAll(List.of("--block-base-fee-per-gas", BASE_FEE_WEI, "--prune-history", KEPT_STATES,
                "--transaction-block-keeper", KEPT_BLOCKS));
        return args.toArray(String[]::new);
    }

    /** Runs the modes {@code options} asks for, prints their figures and writes them to {@code modes.md}. */
    static boolean run(DistributionBenchmark.Options options) throws Exception {
        DistributionBenchmark.ChainSpec chain = options.chains().stream().filter(c -> c.name().equals("400m")).findFirst()
                .orElse(options.chains().getFirst());
        int recipients = options.recipients().get(chain.name());
        String settings = options.overrides().isEmpty() ? "defaults" : options.overrides().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        List<Figures> all = new ArrayList<>();
        Path file = options.out().resolve("modes.md");
        if (options.scale() > 0) {
            all.add(run(options, chain, "scale", settings, options.scale(), 1, 1, true));
            Files.writeString(file, report(options, all), StandardCharsets.UTF_8);
        }
        if (options.campaigns() > 0) {
            all.add(run(options, chain, "campaigns", settings, recipients, options.campaigns(), 1, false));
            Files.writeString(file, report(options, all), StandardCharsets.UTF_8);
        }
        if (options.workers() > 0) {
            all.add(run(options, chain, "workers-1", settings, recipients, 1, 1, false));
            Files.writeString(file, report(options, all), StandardCharsets.UTF_8);
            all.add(run(options, chain, "workers-" + options.workers(), settings, recipients, 1, options.workers(), false));
            Files.writeString(file, report(options, all), StandardCharsets.UTF_8);
        }
        String report = report(options, all);
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(report);
        System.out.println("bench: report written to " + file.toAbsolutePath());
        return all.stream().allMatch(f -> f.problems().isEmpty());
    }

    private static Figures run(DistributionBenchmark.Options options, DistributionBenchmark.ChainSpec spec, String mode,
            String settings, int total, int campaignCount, int workerCount, boolean capHeap) throws Exception {
        DistributionBenchmark.progress("[bench] {0}: {1}, {2,number,#} recipients in {3,number,#} campaign(s), "
                + "{4,number,#} worker(s), {5}", spec.name(), mode, total, campaignCount, workerCount, settings);
        Path dir = options.out().resolve(spec.name() + "-" + mode);
        Files.createDirectories(dir);
        try (Infrastructure infra = Infrastructure.start(anvilArgs(spec));
                BlockClock clock = BlockClock.start(new BenchChain(infra.chain.anvil.url()), BLOCK_TIME)) {
            Map<String, String> env = new LinkedHashMap<>(infra.environment());
            env.putAll(options.overrides());
            Map<String, String> serverEnv = new LinkedHashMap<>(env);
            int port = AnvilProcess.freePort();
            serverEnv.put("HOST", "127.0.0.1");
            serverEnv.put("PORT", Integer.toString(port));
            String heapCap = capHeap ? "-Xmx256m" : "";
            List<String> serverJvm = new ArrayList<>(List.of("-Xlog:gc:file=" + dir.resolve("server-gc.log")));
            if (capHeap) {
                serverJvm.add(heapCap);
            }
            if (options.jfr()) {
                serverJvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("server.jfr") + ",settings=profile");
            }
            Process server = DistributionBenchmark.launch(options.jar(), serverJvm, serverEnv, dir.resolve("server.log"),
                    "server");
            List<Process> workers = new ArrayList<>();
            try {
                for (int w = 1; w <= workerCount; w++) {
                    List<String> jvm = new ArrayList<>(List.of("-Xlog:gc:file=" + dir.resolve("worker-" + w + "-gc.log")));
                    if (capHeap) {
                        jvm.add(heapCap);
                    }
                    if (options.jfr()) {
                        jvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("worker-" + w + ".jfr")
                                + ",settings=profile");
                    }
                    workers.add(DistributionBenchmark.launch(options.jar(), jvm, env, dir.resolve("worker-" + w + ".log"),
                            "worker"));
                }
                DistributionBenchmark.awaitHealthy(server, port, dir.resolve("server.log"));
                for (int w = 0; w < workerCount; w++) {
                    DistributionBenchmark.awaitLine(workers.get(w), dir.resolve("worker-" + (w + 1) + ".log"),
                            "[worker] Distribution worker started");
                }
                Api api = new Api(port);
                WarmUp warmUp = options.warmUp() > 0 ? warmUp(spec, mode, api, infra, options.warmUp()) : WarmUp.NONE;
                List<String> ids = new ArrayList<>();
                Map<String, Address> collections = new LinkedHashMap<>();
                Map<String, List<Address>> recipientsOf = new LinkedHashMap<>();
                double uploadSeconds = 0;
                for (int c = 0; c < campaignCount; c++) {
                    String id = api.createCampaign("Bench " + mode + " " + (c + 1));
                    collections.put(id, deployAndAttach(api, infra, id));
                    int count = total / campaignCount + (c < total % campaignCount ? 1 : 0);
                    List<Address> recipients = DevChain.freshAddresses(count);
                    recipientsOf.put(id, recipients);
                    uploadSeconds += upload(api, id, recipients);
                    ids.add(id);
                }
                DistributionBenchmark.progress("[bench] {0}: {1} uploaded in {2} s", spec.name(), mode,
                        DistributionBenchmark.fmt("%.1f", uploadSeconds));
                BenchChain rpc = new BenchChain(infra.chain.anvil.url());
                try (BenchChain.BlockWatcher watcher = rpc.new BlockWatcher()) {
                    Map<String, Double> distributeSeconds = new java.util.concurrent.ConcurrentHashMap<>();
                    // Every mode starts just after a block, so each has the same time before its first block to plan
                    // and sign: otherwise that is 0–2 s, wherever the mode's own clock stands (docs/benchmarks.md, Stop 28).
                    clock.awaitNextBlock();
                    long blockAtPost = rpc.blockNumber();
                    long t0 = System.nanoTime();
                    // Planning and enqueueing happen inside POST …/distribute: its answer (202) comes once every batch
                    // is planned and in the queue, so its duration is that time. Every campaign's at once, each on a
                    // thread of its own, so none starts later for waiting on another's answer.
                    try (var posts = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                        List<java.util.concurrent.Future<?>> answers = new ArrayList<>();
                        for (String id : ids) {
                            answers.add(posts.submit(() -> {
                                long d0 = System.nanoTime();
                                api.distribute(id);
                                distributeSeconds.put(id, (System.nanoTime() - d0) / 1e9);
                            }));
                        }
                        for (var answer : answers) {
                            answer.get();
                        }
                    }
                    double distributeTotal = (System.nanoTime() - t0) / 1e9;
                    DistributionBenchmark.progress("[bench] {0}: {1} planned and enqueued in {2} s", spec.name(), mode,
                            DistributionBenchmark.fmt("%.2f", distributeTotal));
                    Map<String, Double> completedAt = new LinkedHashMap<>();
                    Map<String, String> statuses = new LinkedHashMap<>();
                    long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(600, total / 10)).toNanos();
                    String anvilStop = null;
                    while (completedAt.size() < ids.size() && System.nanoTime() < deadline && anvilStop == null) {
                        anvilStop = anvilOutgrewTheMachine(infra.chain.anvil.handle());
                        for (String id : ids) {
                            if (!completedAt.containsKey(id)) {
                                String status = api.campaign(id).get("status").asText();
                                statuses.put(id, status);
                                if (status.equals("COMPLETED") || status.equals("FAILED")) {
                                    completedAt.put(id, (System.nanoTime() - t0) / 1e9);
                                }
                            }
                        }
                        DistributionBenchmark.sleep(ids.size() > 1 ? 50 : 100);
                    }
                    long t1 = System.nanoTime();
                    // No block is needed after the run, and each empty one has anvil copy the whole state, taking the
                    // CPU the on-chain check below needs (a million recipients' check ran for over 10 minutes so).
                    clock.close();
                    List<String> problems = new ArrayList<>(warmUp.problems());
                    if (anvilStop != null) {
                        // Stopped before the end: the rest is unminted, so there is nothing whole to check on chain,
                        // and no rate to give; the upload, planning and heap figures stand.
                        problems.add(anvilStop);
                        DistributionBenchmark.progress("[bench] {0}: {1} stopped: {2}", spec.name(), mode, anvilStop);
                    }
                    List<CampaignFigures> perCampaign = new ArrayList<>();
                    Map<Long, Integer> recipientsPerBlock = new java.util.TreeMap<>();
                    int transactions = 0;
                    if (anvilStop == null) {
                        DistributionBenchmark.progress("[bench] {0}: {1} done in {2} s; checking {3,number,#} recipients"
                                + " on chain", spec.name(), mode, DistributionBenchmark.fmt("%.1f", (t1 - t0) / 1e9), total);
                    }
                    long serverHeapNow = DistributionBenchmark.heapUsedBytes(server);
                    List<Long> workerHeapNow = workers.stream().map(DistributionBenchmark::heapUsedBytes).toList();
                    for (String id : anvilStop == null ? ids : List.<String>of()) {
                        String status = statuses.getOrDefault(id, "?");
                        if (!status.equals("COMPLETED")) {
                            problems.add("campaign " + id + " ended " + status);
                        }
                        Map<Address, BigInteger> tokenIds = new LinkedHashMap<>();
                        Map<Address, String> txOf = new LinkedHashMap<>();
                        DistributionBenchmark.readRecipients(infra, id, tokenIds, txOf);
                        List<String> hashes = txOf.values().stream().distinct().toList();
                        transactions += hashes.size();
                        txOf.values().forEach(h -> watcher.blockOf(h).ifPresent(b -> recipientsPerBlock.merge(b, 1,
                                Integer::sum)));
                        OptionalLong first = watcher.firstBlockOf(hashes);
                        double firstMint = first.isPresent()
                                ? (watcher.seenAt(first.getAsLong()) - t0) / 1e9 : Double.NaN;
                        List<Address> recipients = recipientsOf.get(id);
                        if (tokenIds.size() != recipients.size()) {
                            problems.add("campaign " + id + ": the database holds " + tokenIds.size()
                                    + " minted recipients of " + recipients.size());
                        }
                        for (Address a : recipients) {
                            tokenIds.putIfAbsent(a, BigInteger.ZERO); // token 0 is never minted: reported by verify
                        }
                        try {
                            problems.addAll(rpc.verify(collections.get(id), tokenIds));
                        } catch (RuntimeException e) {
                            problems.add("on-chain check of campaign " + id + " failed: " + e.getMessage());
                        }
                        perCampaign.add(new CampaignFigures(id, recipients.size(), distributeSeconds.get(id), first,
                                firstMint, completedAt.getOrDefault(id, Double.NaN), status));
                    }
                    DistributionBenchmark.GcLog serverGc = DistributionBenchmark.GcLog.read(dir.resolve("server-gc.log"));
                    List<Long> workerPeaks = new ArrayList<>();
                    List<Long> workerLive = new ArrayList<>();
                    for (int w = 0; w < workerCount; w++) {
                        DistributionBenchmark.GcLog gc = DistributionBenchmark.GcLog.read(
                                dir.resolve("worker-" + (w + 1) + "-gc.log"));
                        workerPeaks.add(Math.max(gc.peakBytes(), workerHeapNow.get(w)));
                        workerLive.add(gc.afterMaxBytes());
                        if (!workers.get(w).isAlive()) {
                            problems.add("worker " + (w + 1) + " died (exit " + workers.get(w).exitValue() + ")");
                        }
                    }
                    if (!server.isAlive()) {
                        problems.add("the server died (exit " + server.exitValue() + ")");
                    }
                    if (!problems.isEmpty()) {
                        DistributionBenchmark.progress("[bench] {0} {1}: {2,number,#} problem(s), first: {3}",
                                spec.name(), mode, problems.size(), problems.getFirst());
                    }
                    return new Figures(mode, spec.name(), settings, total, workerCount, uploadSeconds, distributeTotal,
                            anvilStop == null ? (t1 - t0) / 1e9 : Double.NaN, perCampaign, Math.max(serverGc.peakBytes(), serverHeapNow),
                            serverGc.afterMaxBytes(), workerPeaks, workerLive, capHeap ? heapCap : "JVM default",
                            transactions, recipientsPerBlock, blockAtPost, problems, warmUp);
                }
            } finally {
                workers.forEach(DistributionBenchmark::stop);
                DistributionBenchmark.stop(server);
            }
        }
    }

    /** Deploys campaign {@code id}'s collection from the creator's wallet and attaches it; returns its address. */
    private static Address deployAndAttach(Api api, Infrastructure infra, String id) throws Exception {
        JsonNode deploy = api.deployTransaction(id, infra.chain.creator);
        String deployHash = infra.chain.rpc.sendOk(infra.chain.creator, Address.parse(deploy.get("to").asText()),
                deploy.get("data").asText()).get("transactionHash").asText();
        return Address.parse(api.attach(id, deployHash).get("contract").asText());
    }

    /**
     * Uploads {@code recipients} to campaign {@code id} through HTTP, in CSV requests under the upload limit, as an
     * operator would send a file this large.
     *
     * @return the requests' own durations, summed, in seconds
     */
    private static double upload(Api api, String id, List<Address> recipients) throws Exception {
        double seconds = 0;
        for (int from = 0; from < recipients.size(); from += UPLOAD_CHUNK) {
            String csv = "address\n" + recipients.subList(from, Math.min(recipients.size(), from + UPLOAD_CHUNK)).stream()
                    .map(Address::toString).collect(Collectors.joining("\n"));
            long u0 = System.nanoTime();
            api.uploadCsv(id, csv);
            seconds += (System.nanoTime() - u0) / 1e9;
        }
        return seconds;
    }

    /** A campaign distributed before a mode's measured one, through the same processes: see {@code --warm-up}. */
    record WarmUp(int recipients, double seconds, List<String> problems) {
        static final WarmUp NONE = new WarmUp(0, Double.NaN, List.of());
    }

    /** Distributes one campaign of {@code count} fresh recipients to its end and checks every recipient on chain. */
    private static WarmUp warmUp(DistributionBenchmark.ChainSpec spec, String mode, Api api, Infrastructure infra,
            int count) throws Exception {
        String id = api.createCampaign("Bench " + mode + " warm-up");
        Address collection = deployAndAttach(api, infra, id);
        List<Address> recipients = DevChain.freshAddresses(count);
        upload(api, id, recipients);
        long t0 = System.nanoTime();
        api.distribute(id);
        long deadline = t0 + Duration.ofSeconds(Math.max(300, count / 20)).toNanos();
        String status = api.campaign(id).get("status").asText();
        while (!status.equals("COMPLETED") && !status.equals("FAILED") && System.nanoTime() < deadline) {
            DistributionBenchmark.sleep(100);
            status = api.campaign(id).get("status").asText();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> problems = new ArrayList<>();
        if (!status.equals("COMPLETED")) {
            problems.add("warm-up campaign " + id + " ended " + status);
        }
        Map<Address, BigInteger> tokenIds = new LinkedHashMap<>();
        DistributionBenchmark.readRecipients(infra, id, tokenIds, new LinkedHashMap<>());
        for (Address a : recipients) {
            tokenIds.putIfAbsent(a, BigInteger.ZERO); // token 0 is never minted: reported by verify
        }
        problems.addAll(new BenchChain(infra.chain.anvil.url()).verify(collection, tokenIds).stream()
                .map(p -> "warm-up: " + p).toList());
        DistributionBenchmark.progress("[bench] {0}: {1} warm-up of {2,number,#} recipients {3} in {4} s, {5}",
                spec.name(), mode, count, status, DistributionBenchmark.fmt("%.1f", seconds),
                problems.isEmpty() ? "every recipient checked on chain" : problems.size() + " problem(s)");
        return new WarmUp(count, seconds, problems);
    }

    static String report(DistributionBenchmark.Options options, List<Figures> all) {
        StringBuilder out = new StringBuilder();
        out.append("# bin/bench modes\n\n`").append(options.commandLine()).append("` — commit ")
                .append(System.getProperty("bench.commit", "unknown")).append(", load ")
                .append(DistributionBenchmark.loadAverage()).append("\n\n");
        out.append("| mode | chain | settings | recipients | campaigns | workers | upload s | distribute (plan+enqueue) s"
                + " | distribute → all COMPLETED s | rec/s (wall) | rec/s (steady)"
                + " | last mint's block after the POST (blocks used, recipients in the first)"
                + " | max first mint s"
                + " | completion spread s | server heap peak / live max MB | worker heap peak / live max MB | heap cap"
                + " | problems |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|\n");
        for (Figures f : all) {
            double maxFirst = f.campaigns().stream().mapToDouble(CampaignFigures::firstMintSeconds).max().orElse(Double.NaN);
            double minDone = f.campaigns().stream().mapToDouble(CampaignFigures::completedSeconds).min().orElse(Double.NaN);
            double maxDone = f.campaigns().stream().mapToDouble(CampaignFigures::completedSeconds).max().orElse(Double.NaN);
            List<String> workers = new ArrayList<>();
            for (int w = 0; w < f.workerHeapPeaks().size(); w++) {
                workers.add(mb(f.workerHeapPeaks().get(w)) + " / " + mb(f.workerLiveMax().get(w)));
            }
            out.append("| ").append(f.mode()).append(" | ").append(f.chain()).append(" | ").append(f.settings())
                    .append(" | ").append(String.format("%,d", f.recipients())).append(" | ").append(f.campaigns().size())
                    .append(" | ").append(f.workers()).append(" | ").append(DistributionBenchmark.fmt("%.1f", f.uploadSeconds()))
                    .append(" | ").append(DistributionBenchmark.fmt("%.2f", f.distributeSeconds()))
                    .append(" | ").append(DistributionBenchmark.fmt("%.1f", f.wallSeconds()))
                    .append(" | ").append(DistributionBenchmark.fmt("%,.0f", f.rate()))
                    .append(" | ").append(Double.isNaN(f.steadyRate()) ? "—" : DistributionBenchmark.fmt("%,.0f",
                            f.steadyRate()))
                    .append(" | ").append(f.blocksUsed())
                    .append(" | ").append(DistributionBenchmark.fmt("%.1f", maxFirst))
                    .append(" | ").append(DistributionBenchmark.fmt("%.1f", maxDone - minDone))
                    .append(" | ").append(mb(f.serverHeapPeak())).append(" / ").append(mb(f.serverLiveMax()))
                    .append(" | ").append(String.join(", ", workers)).append(" | ").append(f.heapCap())
                    .append(" | ").append(f.problems().isEmpty() ? "none: every recipient holds its token"
                            : f.problems().size() + ", first: " + f.problems().getFirst()).append(" |\n");
        }
        for (Figures f : all) {
            if (f.warmUp().recipients() > 0) {
                out.append("\n").append(f.mode()).append(": before it, a warm-up campaign of ")
                        .append(String.format("%,d", f.warmUp().recipients())).append(" recipients through the same"
                                + " processes, distribute → COMPLETED in ")
                        .append(DistributionBenchmark.fmt("%.1f", f.warmUp().seconds())).append(" s").append(
                                f.warmUp().problems().isEmpty() ? ", every recipient checked on chain.\n"
                                        : "; problems: " + String.join("; ", f.warmUp().problems()) + "\n");
            }
        }
        for (Figures f : all) {
            if (f.campaigns().size() > 1) {
                out.append("\n### ").append(f.mode()).append(": per campaign\n\n")
                        .append("| campaign | recipients | POST distribute s | first mined block | first mint s | COMPLETED s |\n")
                        .append("|---|---:|---:|---:|---:|---:|\n");
                int n = 1;
                for (CampaignFigures c : f.campaigns()) {
                    out.append("| ").append(n++).append(" | ").append(String.format("%,d", c.recipients())).append(" | ")
                            .append(DistributionBenchmark.fmt("%.2f", c.distributeSeconds())).append(" | ")
                            .append(c.firstBlock().isPresent() ? Long.toString(c.firstBlock().getAsLong()) : "—")
                            .append(" | ").append(DistributionBenchmark.fmt("%.1f", c.firstMintSeconds())).append(" | ")
                            .append(DistributionBenchmark.fmt("%.1f", c.completedSeconds())).append(" |\n");
                }
            }
        }
        out.append("\nEvery mode sends its first POST …/distribute just after one of its chain's blocks, and every time is"
                + " measured from just before that POST, except the upload's (the CSV"
                + " upload requests' own durations, summed). Steady: the recipients minted in the blocks strictly between"
                + " the run's first and last minting block, over those blocks' 2 s each. Heap: the largest in use before"
                + " a collection (-Xlog:gc, or jcmd GC.heap_info after the run) / the largest left after one.\n");
        return out.toString();
    }

    private static String mb(long bytes) {
        return Long.toString(bytes >> 20);
    }
}
