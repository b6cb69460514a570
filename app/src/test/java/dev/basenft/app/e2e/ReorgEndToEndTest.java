package dev.basenft.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import dev.basenft.core.model.Address;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code CONFIRMATIONS} end to end: the real server and worker over PostgreSQL, Redis and anvil (automine, so a block comes
 * only when the test makes one). The mints are reorganised out ({@code anvil_reorg}) before they are deep; no batch is
 * completed early, the worker sends each stored transaction again, and once deep every recipient holds exactly one token
 * whose id the database records, from one signed transaction per batch.
 */
class ReorgEndToEndTest {

    private static final int CONFIRMATIONS = 3;

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

    @Test
    void mintsReorganisedOutBeforeTheyAreDeepAreSentAgainOnceAndCompletedWithTheChainsTokenIds() throws SQLException {
        infra = Infrastructure.start();
        log = new LogLines();
        Map<String, String> env = new HashMap<>(infra.environment());
        env.put("CONFIRMATIONS", Integer.toString(CONFIRMATIONS));
        env.put("BATCH_SIZE", "5");
        env.put("WAIT_DELAY_SECONDS", "1");
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        start("worker", env);
        String campaign = api.createCampaign("Reorg drop");
        JsonNode deploy = api.deployTransaction(campaign, infra.chain.creator);
        String deployTx = infra.chain.rpc.sendOk(infra.chain.creator, infra.chain.factory, deploy.get("data").asText())
                .get("transactionHash").asText();
        Address collection = Address.parse(api.attach(campaign, deployTx).get("contract").asText());
        List<Address> recipients = DevChain.freshAddresses(10);
        api.uploadCsv(campaign, "address\n" + recipients.stream().map(Address::toString).collect(Collectors.joining("\n")));
        long beforeMints = infra.chain.rpc.blockNumber();

        api.distribute(campaign);

        // Both batches mined, neither deep: they wait, SUBMITTED, saying so.
        JsonNode waiting = awaitBatches(api, campaign, b -> b.get("status").asText().equals("SUBMITTED")
                && b.path("error").asText().startsWith("awaiting confirmations: "), Duration.ofMinutes(1));
        assertThat(waiting.get("items")).hasSize(2);
        assertThat(api.campaign(campaign).at("/counts/recipients/COMPLETED").asLong()).isZero();

        long head = infra.chain.rpc.blockNumber();
        infra.chain.rpc.call("anvil_reorg", head - beforeMints, List.of());
        assertThat(totalSupply(collection)).as("the mints are gone").isZero();

        // The worker finds its receipts gone and sends the same transactions again; mined anew past the old head, they wait
        // for depth again.
        awaitBatches(api, campaign, b -> b.get("status").asText().equals("SUBMITTED")
                && minedIn(b.path("error").asText()) > head, Duration.ofMinutes(1));
        assertThat(totalSupply(collection)).isEqualTo(recipients.size());
        assertThat(log.containing("chain reorganisation")).isNotEmpty();
        assertThat(api.campaign(campaign).at("/counts/batches/COMPLETED").asInt()).as("not completed early").isZero();

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!api.campaign(campaign).get("status").asText().equals("COMPLETED")) {
            assertThat(System.nanoTime()).as("campaign completed in time").isLessThan(deadline);
            infra.chain.rpc.mine();
            sleep(300);
        }

        assertThat(totalSupply(collection)).isEqualTo(recipients.size());
        List<JsonNode> rows = api.recipients(campaign);
        assertThat(rows).hasSize(recipients.size());
        for (JsonNode row : rows) {
            Address owner = Address.parse(row.get("address").asText());
            assertThat(row.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(balanceOf(collection, owner)).as("tokens held by %s", owner).isEqualTo(1);
            assertThat(ownerOf(collection, new BigInteger(row.get("tokenId").asText()))).isEqualTo(owner);
        }
        try (Connection db = infra.connect(); Statement query = db.createStatement();
                ResultSet signed = query.executeQuery("select count(*), count(distinct batch_id) from signed_transactions")) {
            signed.next();
            assertThat(signed.getLong(1)).as("signed transactions").isEqualTo(2);
            assertThat(signed.getLong(2)).as("batches that signed").isEqualTo(2);
        }
    }

    private Service start(String command, Map<String, String> env) {
        Service service = Service.start(command, Settings.fromEnvironment(env), InstantSource.system());
        services.add(service);
        return service;
    }

    /** Waits until every batch of the campaign meets {@code condition}; returns the distributions page. */
    private static JsonNode awaitBatches(Api api, String campaign, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode page = api.distributions(campaign);
            List<JsonNode> items = new ArrayList<>();
            page.get("items").forEach(items::add);
            if (!items.isEmpty() && items.stream().allMatch(condition)) {
                return page;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("batches did not get there within " + timeout + ": " + page);
            }
            sleep(200);
        }
    }

    /** The block an "awaiting confirmations" error names; -1 for any other text. */
    private static long minedIn(String error) {
        Matcher m = Pattern.compile("^awaiting confirmations: tx 0x[0-9a-f]+ mined in block (\\d+)").matcher(error);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private long totalSupply(Address collection) {
        return Calls.decodeUint(infra.chain.rpc.ethCall(null, collection, Calls.encode("totalSupply"))).longValueExact();
    }

    private long balanceOf(Address collection, Address owner) {
        return Calls.decodeUint(infra.chain.rpc.ethCall(null, collection, Calls.encode("balanceOf", Calls.address(owner))))
                .longValueExact();
    }

    private Address ownerOf(Address collection, BigInteger tokenId) {
        String word = infra.chain.rpc.ethCall(null, collection, Calls.encode("ownerOf",
                new org.web3j.abi.datatypes.generated.Uint256(tokenId)));
        return Address.parse("0x" + word.substring(word.length() - 40));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
