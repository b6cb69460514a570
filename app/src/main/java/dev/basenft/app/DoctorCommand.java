package dev.basenft.app;

import dev.basenft.app.config.Settings;
import dev.basenft.app.doctor.Doctor;
import dev.basenft.app.doctor.Finding;
import dev.basenft.app.wiring.Components;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * {@code doctor}: runs the runbook's checks read-only with the deployment's own environment (the server's will do: it
 * needs no minter key) and prints one verdict per line. Exit code 0 when nothing FAILs, 1 otherwise.
 */
final class DoctorCommand {

    private DoctorCommand() {
    }

    static int run(Map<String, String> env, PrintStream out) {
        Settings settings = Settings.fromEnvironment(env, Settings.Role.SERVER);
        List<Finding> findings;
        try (Components components = Components.inspect(settings, InstantSource.system())) {
            findings = new Doctor(components.storage(), components.queue(), components.chain(),
                    settings.deployerAddress(), settings.batchSize(), InstantSource.system()).examine();
        }
        findings.forEach(f -> out.println(f.line()));
        long failing = findings.stream().filter(f -> f.verdict() == Finding.Verdict.FAIL).count();
        long warning = findings.stream().filter(f -> f.verdict() == Finding.Verdict.WARN).count();
        out.println(failing > 0 ? "doctor: " + failing + " check(s) FAIL, " + warning + " WARN"
                : "doctor: healthy" + (warning > 0 ? " with " + warning + " warning(s)" : ""));
        return failing > 0 ? Main.EXIT_STARTUP : 0;
    }
}
