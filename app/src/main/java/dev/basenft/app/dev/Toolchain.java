package dev.basenft.app.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The project's own npm install in {@code contracts/}: where anvil comes from in dev mode. */
final class Toolchain {

    private static final System.Logger LOG = System.getLogger("dev.basenft.dev");

    private Toolchain() {
    }

    /**
     * The project checkout: {@code BASE_NFT_HOME} when set, else the first directory upwards from the working directory
     * that holds {@code contracts/package.json}.
     */
    static Path projectRoot(String configured) {
        if (configured != null && !configured.isBlank()) {
            Path root = Path.of(configured).toAbsolutePath();
            if (!Files.exists(root.resolve("contracts/package.json"))) {
                throw new IllegalStateException("BASE_NFT_HOME=" + configured + " holds no contracts/package.json");
            }
            return root;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("contracts/package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("dev mode needs the project checkout for its local chain: run it from inside the "
                + "checkout, or set BASE_NFT_HOME to it, or set BASE_RPC_URL (with FACTORY_ADDRESS, DEPLOYER_ADDRESS and "
                + "MINTER_PRIVATE_KEY) to use another chain");
    }

    /** The anvil binary, after {@code npm ci} in {@code contracts/} if it is not installed yet. */
    static Path anvil(Path root) {
        Path contracts = root.resolve("contracts");
        Path binary = contracts.resolve("node_modules/@foundry-rs/anvil-" + LocalChain.platform() + "/bin/anvil");
        Path launcher = contracts.resolve("node_modules/.bin/anvil");
        if (!Files.isExecutable(binary) && !Files.exists(launcher)) {
            npmCi(contracts);
        }
        // The platform binary itself, so that stopping it stops the node (the launcher is a script that spawns it).
        return Files.isExecutable(binary) ? binary : launcher;
    }

    private static void npmCi(Path contracts) {
        LOG.log(System.Logger.Level.INFO, "Installing the local chain: npm ci in {0} (once)", contracts);
        try {
            // Its output is shown as it comes; stdin is not shared: node would turn it non-blocking for this process too.
            Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund")).directory(contracts.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            npm.getOutputStream().close();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + contracts + " failed; is Node 20+ with npm installed and the "
                        + "npm registry reachable?");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run npm (Node 20+ and npm are needed for dev mode's local chain)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci", e);
        }
    }
}
