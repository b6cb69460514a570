package dev.basenft.app.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.app.Main;
import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import dev.basenft.core.model.Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The product end to end (issue 7): the real server and worker of {@code app}, wired from environment variables as an
 * operator sets them, over a real PostgreSQL, a real Redis, and anvil with our contracts; a creator deploying a collection
 * through the factory from their own wallet; every check made on the chain itself.
 */
class EndToEndTest {

    private final List<Service> services = new ArrayList<>();
    private Infrastructure infra;
    private LogLines log;

    @AfterEach
    void stopEverything() {
        services.forEach(s -> s.stop(Duration.ofSeconds(10)));
        if (log != null) {
            log.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    private Service start(String command, Map<String, String> env) {
        Service service = Service.start(command, Settings.fromEnvironment(env), InstantSource.system());
        services.add(service);
        return service;
    }

    @Test
    void aThousandRecipientsEachGetExactlyOneTokenWhoseIdTheDatabaseKnows() {
        infra = Infrastructure.start();
        Map<String, String> env = infra.environment();
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        start("worker", env);

        Prepared campaign = prepare(api, 1_000);
        JsonNode started = api.distribute(campaign.id);

        // BATCH_SIZE unset: sized from anvil's 30M block gas limit, 296 recipients a batch (two fill a block).
        assertThat(started.get("plannedBatches").asInt()).isEqualTo(4);
        JsonNode done = awaitCampaign(api, campaign.id, "COMPLETED", Duration.ofMinutes(3));
        assertThat(done.at("/counts/recipients/COMPLETED").asLong()).isEqualTo(1_000);
        assertExactlyOneTokenEachMatchingTheDatabase(api, campaign);
    }

    @Test
    void aPausedContractFailsTheRestReadablyAndRetryAfterUnpauseCompletesWithoutDuplicates() throws Exception {
        // One batch at a time and a block a second, so the pause lands mid-run.
        infra = Infrastructure.start("--block-time", "1");
        log = new LogLines();
        Map<String, String> env = new HashMap<>(infra.environment());
        env.put("BATCH_SIZE", "50");
        env.put("WORKER_CONCURRENCY", "1");
        env.put("MAX_IN_FLIGHT", "1");
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        start("worker", env);
        Prepared campaign = prepare(api, 300);

        api.distribute(campaign.id);
        awaitCampaign(api, campaign.id, c -> c.at("/counts/batches/COMPLETED").asInt() >= 1, Duration.ofMinutes(2));
        infra.chain.rpc.sendOk(infra.chain.creator, campaign.collection, Calls.encode("pause"));
        JsonNode failed = awaitCampaign(api, campaign.id, "FAILED", Duration.ofMinutes(2));

        assertThat(failed.at("/counts/batches/FAILED").asInt()).isPositive();
        List<String> errors = new ArrayList<>();
        api.distributions(campaign.id).get("items").forEach(b -> {
            if (b.get("status").asText().equals("FAILED")) {
                errors.add(b.get("error").asText());
            }
        });
        assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e).containsIgnoringCase("paused"));
        assertThat(log.containing("Campaign status -> FAILED")).isNotEmpty();

        infra.chain.rpc.sendOk(infra.chain.creator, campaign.collection, Calls.encode("unpause"));
        JsonNode requeued = api.retry(campaign.id);

        assertThat(requeued.get("requeued").asInt()).isEqualTo(errors.size());
        awaitCampaign(api, campaign.id, "COMPLETED", Duration.ofMinutes(3));
        assertExactlyOneTokenEachMatchingTheDatabase(api, campaign);
    }

    @Test
    void twoWorkersOnOneDatabaseAndQueueNeverMintTwice() {
        infra = Infrastructure.start();
        Map<String, String> env = new HashMap<>(infra.environment());
        env.put("BATCH_SIZE", "25");
        env.put("MAX_IN_FLIGHT", "4");
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        log = new LogLines();
        start("worker", env);
        start("worker", env);
        Prepared campaign = prepare(api, 1_000);

        api.distribute(campaign.id);

        awaitCampaign(api, campaign.id, "COMPLETED", Duration.ofMinutes(3));
        assertExactlyOneTokenEachMatchingTheDatabase(api, campaign);
        assertThat(log.containing("[worker] Distribution worker started")).as("two worker processes' worth").hasSize(2);
    }

    // ------------------------------------------------------------------------------------------------------- steps

    @Test
    void aFactoryPutOnTheChainByDeployFactoryServesADistributionAndIsNotDeployedTwice() throws Exception {
        infra = Infrastructure.start();
        Map<String, String> deployEnv = new HashMap<>();
        deployEnv.put("BASE_RPC_URL", infra.chain.anvil.url().toString());
        deployEnv.put("CHAIN_ID", "8453");
        deployEnv.put("DEPLOYER_ADDRESS", infra.chain.minter.toString());
        Path keyFile = Files.createTempFile("deploy-key-", ".txt");
        // anvil's dev key 3, published by Foundry: pays for the deployment, worthless anywhere but a local chain.
        Files.writeString(keyFile, "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6\n");
        deployEnv.put("DEPLOY_PRIVATE_KEY_FILE", keyFile.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Main.run(new String[] {"deploy-factory"}, deployEnv, new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));

        assertThat(exit).as(err.toString(UTF_8)).isZero();
        String printed = out.toString(UTF_8);
        assertThat(printed).contains("CHAIN_ID=8453").contains("DEPLOYER_ADDRESS=" + infra.chain.minter)
                .doesNotContain("7c852118294e51e6");
        Address factory = Address.parse(printed.lines().filter(line -> line.startsWith("FACTORY_ADDRESS="))
                .findFirst().orElseThrow().substring("FACTORY_ADDRESS=".length()));
        assertThat(factory).isNotEqualTo(infra.chain.factory);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"deploy-factory"}, deployEnv, new PrintStream(new ByteArrayOutputStream(), true,
                UTF_8), new PrintStream(again, true, UTF_8))).as("refused for the same minter").isEqualTo(1);
        assertThat(again.toString(UTF_8)).contains("already at " + factory).contains("--another");

        Map<String, String> env = infra.environment();
        env.put("FACTORY_ADDRESS", factory.toString());
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        start("worker", env);
        Prepared campaign = prepare(api, 40, factory);
        api.distribute(campaign.id);

        awaitCampaign(api, campaign.id, "COMPLETED", Duration.ofMinutes(2));
        assertExactlyOneTokenEachMatchingTheDatabase(api, campaign);
    }

    @Test
    void doctorSaysInWordsWhatAnOperatorMustDoAndNothingWhenAllIsWell() {
        infra = Infrastructure.start();
        Map<String, String> env = infra.environment();
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        Prepared campaign = prepare(api, 30);
        api.distribute(campaign.id);

        Doctored noWorker = doctor(env);

        assertThat(noWorker.exit()).as(noWorker.out()).isEqualTo(1);
        assertThat(noWorker.line("workers")).startsWith("FAIL").contains("none connected").contains("job(s) wait");
        assertThat(noWorker.line("schema")).startsWith("OK").contains("nothing to apply");
        assertThat(noWorker.line("factory")).startsWith("OK").contains(infra.chain.factory.toString());

        Service worker = start("worker", env);
        awaitCampaign(api, campaign.id, "COMPLETED", Duration.ofMinutes(2));
        env.put("WORKER_MANAGEMENT_URLS", "http://127.0.0.1:" + worker.managementPort().orElseThrow());
        Doctored healthy = doctor(env);

        assertThat(healthy.exit()).as(healthy.out()).isZero();
        assertThat(healthy.line("workers")).startsWith("OK").contains("1 connected");
        assertThat(healthy.line("batches")).startsWith("OK").contains("none open");
        assertThat(healthy.line("nonces")).startsWith("OK");
        assertThat(healthy.line("breaker")).startsWith("OK").contains("breaker CLOSED, ready");
        assertThat(healthy.out()).contains("doctor: healthy");

        infra.chain.rpc.call("anvil_setBalance", infra.chain.minter.lowerCase(), "0x0");
        Doctored broke = doctor(env);

        assertThat(broke.exit()).isEqualTo(1);
        assertThat(broke.line("minter")).startsWith("FAIL").contains("holds 0 ETH").contains("fund it");
        assertThat(broke.line("breaker")).as("the worker says so too").startsWith("WARN").contains("not ready (minter)");
    }

    private record Doctored(int exit, String out) {

        String line(String check) {
            return out.lines().filter(l -> l.length() > 5 && l.substring(5).startsWith(check + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + check + " line in:\n" + out));
        }
    }

    private static Doctored doctor(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"doctor"}, env, new PrintStream(out, true, UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
        return new Doctored(exit, out.toString(UTF_8));
    }

    private record Prepared(String id, Address collection, List<Address> recipients) {
    }

    private Prepared prepare(Api api, int count) {
        return prepare(api, count, infra.chain.factory);
    }

    /** Create → the creator deploys through the factory from their wallet → attach → upload {@code count} recipients. */
    private Prepared prepare(Api api, int count, Address factory) {
        String id = api.createCampaign("E2E drop");
        JsonNode deploy = api.deployTransaction(id, infra.chain.creator);
        assertThat(deploy.get("chainId").asLong()).isEqualTo(8453);
        assertThat(Address.parse(deploy.get("to").asText())).isEqualTo(factory);
        String txHash = infra.chain.rpc.sendOk(infra.chain.creator, factory, deploy.get("data").asText())
                .get("transactionHash").asText();
        JsonNode attached = api.attach(id, txHash);
        Address collection = Address.parse(attached.get("contract").asText());
        assertThat(collection).as("where deploy-transaction said").isEqualTo(Address.parse(deploy.get("collection").asText()));
        assertThat(Address.parse(attached.get("creatorWallet").asText())).isEqualTo(infra.chain.creator);
        List<Address> recipients = DevChain.freshAddresses(count);
        JsonNode upload = api.uploadCsv(id, "address\n" + recipients.stream().map(Address::toString)
                .collect(Collectors.joining("\n")));
        assertThat(upload.get("added").asLong()).isEqualTo(count);
        return new Prepared(id, collection, recipients);
    }

    private static JsonNode awaitCampaign(Api api, String id, String status, Duration timeout) {
        return awaitCampaign(api, id, c -> c.get("status").asText().equals(status), timeout);
    }

    private static JsonNode awaitCampaign(Api api, String id, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode campaign = api.campaign(id);
        while (!condition.test(campaign)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("campaign did not get there within " + timeout + ": " + campaign);
            }
            sleep(250);
            campaign = api.campaign(id);
        }
        return campaign;
    }

    /** On the chain: balanceOf = 1 for every recipient, totalSupply = recipients, and ownerOf(the API's token id) = it. */
    private void assertExactlyOneTokenEachMatchingTheDatabase(Api api, Prepared campaign) {
        DevChainReader chain = new DevChainReader(infra.chain, campaign.collection);
        assertThat(chain.totalSupply()).isEqualTo(campaign.recipients.size());
        for (Address recipient : campaign.recipients) {
            assertThat(chain.balanceOf(recipient)).as("tokens held by %s", recipient).isEqualTo(1);
        }
        List<JsonNode> rows = api.recipients(campaign.id);
        assertThat(rows).hasSize(campaign.recipients.size());
        List<BigInteger> tokenIds = new ArrayList<>();
        for (JsonNode row : rows) {
            assertThat(row.get("status").asText()).isEqualTo("COMPLETED");
            BigInteger tokenId = new BigInteger(row.get("tokenId").asText());
            tokenIds.add(tokenId);
            assertThat(chain.ownerOf(tokenId)).as("owner of token %s", tokenId)
                    .isEqualTo(Address.parse(row.get("address").asText()));
        }
        assertThat(tokenIds).doesNotHaveDuplicates();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads the collection's state with plain eth_calls, not through the adapter under test. */
    private record DevChainReader(DevChain chain, Address collection) {

        long totalSupply() {
            return Calls.decodeUint(chain.rpc.ethCall(null, collection, Calls.encode("totalSupply"))).longValueExact();
        }

        long balanceOf(Address owner) {
            return Calls.decodeUint(chain.rpc.ethCall(null, collection, Calls.encode("balanceOf", Calls.address(owner))))
                    .longValueExact();
        }

        Address ownerOf(BigInteger tokenId) {
            String word = chain.rpc.ethCall(null, collection, Calls.encode("ownerOf",
                    new org.web3j.abi.datatypes.generated.Uint256(tokenId)));
            return Address.parse("0x" + word.substring(word.length() - 40));
        }
    }
}
