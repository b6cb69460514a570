package dev.basenft.app;

import dev.basenft.app.config.ConfigurationException;
import dev.basenft.app.config.Settings;
import dev.basenft.app.doctor.Doctor;
import dev.basenft.app.doctor.Finding;
import dev.basenft.app.wiring.Components;
import java.io.PrintStream;
import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code doctor}: runs the runbook's checks read-only with the deployment's own environment (the server's will do: it
 * needs no minter key) and prints one verdict per line. {@code WORKER_MANAGEMENT_URLS} (optional, comma-separated
 * {@code http://host:MANAGEMENT_PORT}) adds each worker's breaker. Exit code 0 when nothing FAILs, 1 otherwise.
 */
final class DoctorCommand {

    private DoctorCommand() {
    }

    static int run(Map<String, String> env, PrintStream out) {
        Settings settings = Settings.fromEnvironment(env, Settings.Role.SERVER);
        List<URI> workers = workerManagementUrls(env.getOrDefault("WORKER_MANAGEMENT_URLS", ""));
        List<Finding> findings;
        try (Components components = Components.inspect(settings, InstantSource.system())) {
            findings = new Doctor(components.storage(), components.queue(), components.chain(),
                    settings.deployerAddress(), components.sizing().batchSize(), InstantSource.system(), workers).examine();
        }
        findings.forEach(f -> out.println(f.line()));
        long failing = findings.stream().filter(f -> f.verdict() == Finding.Verdict.FAIL).count();
        long warning = findings.stream().filter(f -> f.verdict() == Finding.Verdict.WARN).count();
        out.println(failing > 0 ? "doctor: " + failing + " check(s) FAIL, " + warning + " WARN"
                : "doctor: healthy" + (warning > 0 ? " with " + warning + " warning(s)" : ""));
        return failing > 0 ? Main.EXIT_STARTUP : 0;
    }

    /** {@code http://host:port} of each worker's management server, comma-separated; blank for none. */
    private static List<URI> workerManagementUrls(String value) {
        List<URI> urls = new ArrayList<>();
        String[] parts = value.isBlank() ? new String[0] : value.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            URI url;
            try {
                url = URI.create(part);
            } catch (IllegalArgumentException e) {
                url = null;
            }
            if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new ConfigurationException(List.of("WORKER_MANAGEMENT_URLS entry " + (i + 1) + " of " + parts.length
                        + " is not an http(s)://host:port URL: '" + part + "'"));
            }
            urls.add(url);
        }
        return urls;
    }
}
