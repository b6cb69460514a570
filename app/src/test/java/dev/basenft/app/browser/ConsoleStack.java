package dev.basenft.app.browser;

import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import dev.basenft.app.dev.DevEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * The real {@code dev} stack the browser tests drive, started once for all of them (each test signs in as its own FID,
 * so their campaigns never meet): what {@code bin/dev} runs — embedded PostgreSQL and Redis, anvil with our contracts,
 * the API and the worker in one process, dev auth on — on free ports, with Quick Auth tokens issued by a local
 * {@link QuickAuthIssuer} (real verification, test-chosen expiry). Stopped when the test JVM exits.
 */
final class ConsoleStack {

    /** {@code APP_DOMAIN} as dev mode sets it: the audience of the issuer's tokens. */
    static final String APP_DOMAIN = "localhost";

    private static ConsoleStack shared;

    final QuickAuthIssuer issuer;
    final URI console;
    final URI rpc;
    /** The environment the dev server runs with, for a second server on the same database, queue and chain. */
    final Map<String, String> environment;
    private final DevEnvironment dev;
    private final Service service;

    private ConsoleStack(QuickAuthIssuer issuer, DevEnvironment dev, Service service, URI rpc, Map<String, String> environment) {
        this.issuer = issuer;
        this.environment = Map.copyOf(environment);
        this.dev = dev;
        this.service = service;
        this.rpc = rpc;
        this.console = URI.create("http://127.0.0.1:" + service.httpPort().orElseThrow());
    }

    /** The stack, started on first use. */
    static synchronized ConsoleStack shared() {
        if (shared == null) {
            shared = start();
            ConsoleStack stack = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "console-stack-stop"));
        }
        return shared;
    }

    private static ConsoleStack start() {
        QuickAuthIssuer issuer = QuickAuthIssuer.start();
        Map<String, String> env = new HashMap<>();
        env.put("ANVIL_PORT", Integer.toString(freePort()));
        // A block a second, as a person would see on a local chain (Base makes one every 2 s).
        env.put("DEV_BLOCK_TIME", "1");
        DevEnvironment dev = DevEnvironment.start(env);
        try {
            Map<String, String> effective = new HashMap<>(dev.variables());
            effective.put("PORT", "0");
            // The pages' scripts count batches of 200 (501 for 100,001 recipients, 3 for 450): set, as an operator may,
            // instead of sized from anvil's 30M blocks (296), so the figures on screen do not move with the sizing rule.
            effective.put("BATCH_SIZE", "200");
            effective.put("QUICK_AUTH_ORIGIN", issuer.origin().toString());
            Service service = Service.start("dev", Settings.fromEnvironment(effective), InstantSource.system());
            return new ConsoleStack(issuer, dev, service, URI.create(effective.get("BASE_RPC_URL")), effective);
        } catch (RuntimeException e) {
            dev.close();
            issuer.close();
            throw e;
        }
    }

    private void stop() {
        service.stop(Duration.ofSeconds(10));
        dev.close();
        issuer.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
