package dev.basenft.torture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The run's report, {@code target/torture/report.md}: per scenario the recipients, batches, kills, faults injected by kind,
 * duplicates, lost recipients, nonces used against batches and fillers, FAILED batches that minted, wall time and what else
 * was observed, under the mode and seed. Rewritten after every
 * scenario, so a run that fails half-way still leaves the scenarios it finished. Thread-safe.
 */
final class Report {

    /**
     * One scenario's line of the report.
     *
     * @param scenario its name
     * @param verification what chain and database said at the end
     * @param kills {@code kill -9}s of the worker
     * @param faults faults injected, by kind, in the order they should be read
     * @param notes anything else observed (log lines seen, services restarted, …)
     * @param wallTime from the first worker start to the end of the checks
     * @param passed whether every assertion of the scenario held
     */
    record Entry(String scenario, Verification verification, int kills, Map<String, Integer> faults, List<String> notes,
            Duration wallTime, boolean passed) {

        Entry {
            Objects.requireNonNull(scenario, "scenario");
            Objects.requireNonNull(verification, "verification");
            faults = new LinkedHashMap<>(faults);
            notes = List.copyOf(notes);
            Objects.requireNonNull(wallTime, "wallTime");
        }
    }

    private final TortureMode mode;
    private final Path file;
    private final Instant started = Instant.now();
    private final List<Entry> entries = new ArrayList<>();

    Report(TortureMode mode) {
        this.mode = mode;
        this.file = Path.of(System.getProperty("torture.reportDir", "target/torture")).resolve("report.md");
    }

    Path file() {
        return file;
    }

    synchronized void add(Entry entry) {
        entries.add(entry);
        write();
    }

    private void write() {
        StringBuilder md = new StringBuilder();
        md.append("# base-nft torture report\n\n");
        md.append("- mode: **").append(mode.name()).append("**\n");
        md.append("- seed: `").append(mode.seed()).append("` (replay: `-Dtorture.seed=").append(mode.seed()).append("`)\n");
        md.append("- started: ").append(started).append("\n");
        md.append("- total wall time so far: ").append(seconds(Duration.between(started, Instant.now()))).append("\n\n");
        md.append("| scenario | result | recipients | batches | kills | faults injected | duplicates | lost | DB ≠ chain |"
                + " nonces used / batches / fillers | FAILED with tokens | batches on > 1 nonce |"
                + " same-nonce replacements (min bump) | wall time |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Entry e : entries) {
            Verification v = e.verification();
            md.append("| ").append(e.scenario())
                    .append(" | ").append(e.passed() ? "pass" : "**FAIL**")
                    .append(" | ").append(v.recipients())
                    .append(" | ").append(v.batches()).append(v.unfinishedBatches() == 0 ? " (all COMPLETED)"
                            : " (" + v.batchesByStatus() + ")")
                    .append(" | ").append(e.kills())
                    .append(" | ").append(faults(e.faults()))
                    .append(" | ").append(v.duplicates())
                    .append(" | ").append(v.lost())
                    .append(" | ").append(v.databaseDisagreements())
                    .append(" | ").append(v.noncesUsedOnChain()).append(" / ").append(v.batches()).append(" / ")
                    .append(v.fillers())
                    .append(" | ").append(v.failedWithTokens())
                    .append(" | ").append(v.batchesOnSeveralNonces())
                    .append(" | ").append(v.replacements()).append(v.replacements() > 0 ? " (+" + v.smallestBumpPercent()
                            + " %)" : "")
                    .append(" | ").append(seconds(e.wallTime()))
                    .append(" |\n");
        }
        md.append("\n");
        for (Entry e : entries) {
            md.append("## ").append(e.scenario()).append("\n\n");
            for (String note : e.notes()) {
                md.append("- ").append(note).append("\n");
            }
            for (String problem : e.verification().problems()) {
                md.append("- problem: ").append(problem).append("\n");
            }
            md.append("\n");
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String faults(Map<String, Integer> faults) {
        if (faults.isEmpty()) {
            return "—";
        }
        List<String> parts = new ArrayList<>();
        faults.forEach((kind, count) -> parts.add(kind + " " + count));
        return String.join(", ", parts);
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.0f s", d.toMillis() / 1000.0);
    }
}
