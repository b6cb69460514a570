package dev.basenft.adapter.postgres.bench;

import dev.basenft.adapter.postgres.PostgresStorage;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.NewRecipient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Measures recipient ingest: {@code Recipients.addAll} (COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT)
 * against naive one-INSERT-per-row statements in one transaction, on the same database in the same run. Prints rows/s and
 * the peak heap seen while each ingest ran. A command, not a test: {@code adapter-postgres/bench.sh} runs it.
 *
 * <p>Arguments: row counts (default {@code 100000 1000000}). System property {@code naive.max} (default 100000) caps the
 * sizes the naive variant runs at, since it needs one round trip per row; {@code repeat} (default 1) how many times each
 * measurement runs, and when above 1 a second table gives the median time and rows/s and the highest peak heap of each,
 * since one run on a shared machine is noisy. Uses {@code DATABASE_URL} when set, otherwise
 * an embedded PostgreSQL. The recipients are generated lazily (random addresses, every tenth with a fid), so the generator
 * holds no rows and the heap figure is the adapter's; generating them (EIP-55 checksums included) is part of the time.
 * {@code recipients} is emptied (untimed) after each database measurement, so each starts from the same empty table.
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            sizes.add(Integer.parseInt(arg.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100_000, 1_000_000);
        }
        int naiveMax = Integer.getInteger("naive.max", 100_000);
        int repeat = Integer.getInteger("repeat", 1);
        EmbeddedPostgres embedded = null;
        String url = System.getenv("DATABASE_URL");
        if (url == null || url.isBlank()) {
            embedded = EmbeddedPostgres.builder().start();
            url = embedded.getJdbcUrl("postgres", "postgres");
        }
        String schema = "bench_" + UUID.randomUUID().toString().substring(0, 8);
        System.out.printf(Locale.ROOT, "database: %s; schema %s; max heap %d MB; %d cores; %d run(s) each; load average %.2f%n",
                embedded == null ? "DATABASE_URL" : "embedded PostgreSQL", schema,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), repeat,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| rows | method | seconds | rows/s | peak heap used (MB) |");
        System.out.println("|---:|---|---:|---:|---:|");
        try (PostgresStorage storage = PostgresStorage.builder().url(url).schema(schema).maximumPoolSize(2).build()) {
            // One small warm-up, so class loading and JIT are not billed to the first measured run.
            ingest(storage, 20_000);
            naive(storage, 5_000);
            Map<String, List<Run>> runs = new LinkedHashMap<>();
            for (int rows : sizes) {
                for (int i = 0; i < repeat; i++) {
                    record(runs, rows, "source only: making the recipients, no database", () -> drain(rows));
                    record(runs, rows, "Recipients.addAll (COPY + INSERT…SELECT)", () -> ingest(storage, rows));
                    empty(storage);
                    if (rows <= naiveMax) {
                        record(runs, rows, "naive: one INSERT per row, one transaction", () -> naive(storage, rows));
                        empty(storage);
                    } else if (i == 0) {
                        System.out.printf(Locale.ROOT, "| %,d | naive | skipped (over naive.max=%,d) | | |%n", rows,
                                naiveMax);
                    }
                }
            }
            if (repeat > 1) {
                System.out.printf(Locale.ROOT, "%nmedians of %d runs (peak heap: the highest of them); load average now %.2f%n",
                        repeat, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                System.out.println("| rows | method | median seconds (min–max) | median rows/s | peak heap used (MB) |");
                System.out.println("|---:|---|---:|---:|---:|");
                for (List<Run> same : runs.values()) {
                    double[] seconds = same.stream().mapToDouble(Run::seconds).sorted().toArray();
                    double median = seconds.length % 2 == 1 ? seconds[seconds.length / 2]
                            : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
                    Run first = same.getFirst();
                    System.out.printf(Locale.ROOT, "| %,d | %s | %.2f (%.2f–%.2f) | %,.0f | %d |%n", first.rows(),
                            first.method(), median, seconds[0], seconds[seconds.length - 1], first.rows() / median,
                            same.stream().mapToLong(Run::peakHeapMb).max().orElseThrow());
                }
            }
            try (Connection c = storage.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** One measurement. */
    private record Run(int rows, String method, double seconds, long peakHeapMb) {
    }

    private static void record(Map<String, List<Run>> runs, int rows, String method, LongSupplier run)
            throws InterruptedException {
        Run result = report(rows, method, run);
        runs.computeIfAbsent(rows + " " + method, k -> new ArrayList<>()).add(result);
    }

    private static Run report(int rows, String method, LongSupplier run) throws InterruptedException {
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        long added = run.getAsLong();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        if (added != rows) {
            throw new IllegalStateException(method + " stored " + added + " of " + rows + " rows");
        }
        System.out.printf(Locale.ROOT, "| %,d | %s | %.2f | %,.0f | %d |%n", rows, method, seconds, rows / seconds,
                peak.get() >> 20);
        return new Run(rows, method, seconds, peak.get() >> 20);
    }

    /**
     * The baseline the ingest rows include: building {@code rows} recipients (random bytes, EIP-55 checksum in
     * {@code Address.ofBytes}) with no database at all, so the adapter's own share of the time can be read off.
     */
    private static long drain(int rows) {
        long count = 0;
        for (Iterator<NewRecipient> it = recipients(rows); it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }

    private static long ingest(PostgresStorage storage, int rows) {
        CampaignId campaign = newCampaign(storage);
        IngestResult result = storage.recipients().addAll(campaign, recipients(rows));
        return result.added();
    }

    /** The baseline: what an ORM-style repository does, one INSERT statement (one round trip) per recipient. */
    private static long naive(PostgresStorage storage, int rows) {
        CampaignId campaign = newCampaign(storage);
        try (Connection c = storage.dataSource().getConnection()) {
            c.setAutoCommit(false);
            long added = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO recipients (campaign_id, address, fid, status)"
                    + " VALUES (?, ?, ?, 'PENDING') ON CONFLICT (campaign_id, address) DO NOTHING")) {
                for (Iterator<NewRecipient> it = recipients(rows); it.hasNext(); ) {
                    NewRecipient r = it.next();
                    insert.setObject(1, campaign.value());
                    insert.setBytes(2, r.address().bytes());
                    if (r.fid().isPresent()) {
                        insert.setLong(3, r.fid().get().value());
                    } else {
                        insert.setNull(3, java.sql.Types.BIGINT);
                    }
                    added += insert.executeUpdate();
                }
            }
            c.commit();
            return added;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Empties {@code recipients} between measurements, untimed, so every run inserts into the same empty table (its
     * unique index would otherwise grow run after run and make later runs slower than earlier ones).
     */
    private static void empty(PostgresStorage storage) {
        try (Connection c = storage.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE recipients CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CampaignId newCampaign(PostgresStorage storage) {
        CampaignId id = new CampaignId(UUID.randomUUID());
        storage.campaigns().create(Campaign.draft(id, new Fid(1), "Benchmark", "BENCH", "", "", ChainId.BASE,
                Instant.now()));
        return id;
    }

    /** {@code rows} distinct random recipients, made one at a time as the adapter pulls them. */
    private static Iterator<NewRecipient> recipients(int rows) {
        SplittableRandom random = new SplittableRandom();
        return new Iterator<>() {
            private int made;

            @Override
            public boolean hasNext() {
                return made < rows;
            }

            @Override
            public NewRecipient next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                made++;
                byte[] bytes = new byte[20];
                random.nextBytes(bytes);
                // The index in the last four bytes keeps every address distinct; the first byte keeps it non-zero.
                bytes[0] |= 1;
                bytes[16] = (byte) (made >>> 24);
                bytes[17] = (byte) (made >>> 16);
                bytes[18] = (byte) (made >>> 8);
                bytes[19] = (byte) made;
                Optional<Fid> fid = made % 10 == 0 ? Optional.of(new Fid(made)) : Optional.empty();
                return new NewRecipient(Address.ofBytes(bytes), fid);
            }
        };
    }
}
