package dev.basenft.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import dev.basenft.core.model.Address;
import java.math.BigInteger;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pause, resume, cancel and removal end to end: the real server and worker over PostgreSQL, Redis and anvil (a block a
 * second), judged on chain. While paused the minted count stays flat block after block; resumed, the campaign completes;
 * cancelled mid-run, the recipients of unsigned batches are PENDING and hold nothing, the others hold their token, and a
 * new distribution mints the rest; removed recipients are never minted. Every recipient ends with exactly one token.
 */
class DistributionControlEndToEndTest {

    private static final int RECIPIENTS = 100;

    private final List<Service> services = new ArrayList<>();
    private Infrastructure infra;

    @AfterEach
    void stopEverything() {
        services.forEach(s -> s.stop(Duration.ofSeconds(10)));
        if (infra != null) {
            infra.close();
        }
    }

    /** Small batches, two in flight at a time, and a short wait delay: slow enough to stop mid-run, quick to resume. */
    private Map<String, String> environment() {
        infra = Infrastructure.start("--block-time", "1");
        Map<String, String> env = new HashMap<>(infra.environment());
        env.put("BATCH_SIZE", "5");
        env.put("MAX_IN_FLIGHT", "2");
        env.put("WORKER_CONCURRENCY", "2");
        env.put("WAIT_DELAY_SECONDS", "2");
        return env;
    }

    @Test
    void aPausedDistributionMintsNothingMoreUntilResumedThenEveryoneHoldsExactlyOneToken() {
        Map<String, String> env = environment();
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        List<Address> recipients = DevChain.freshAddresses(RECIPIENTS);
        String id = campaignWith(api, recipients);
        Address collection = Address.parse(api.campaign(id).get("contract").asText());
        start("worker", env);
        api.distribute(id);

        awaitCampaign(api, id, c -> completed(c) >= 5, "a first batch minted");
        JsonNode paused = api.pause(id);
        assertThat(paused.get("status").asText()).isEqualTo("PAUSED");
        assertThat(api.pause(id).get("status").asText()).as("pausing again").isEqualTo("PAUSED");
        // Batches signed before the pause finish; the others wait unsigned.
        JsonNode settled = awaitCampaign(api, id, c -> batches(c, "PROCESSING") + batches(c, "SUBMITTED") == 0,
                "in-flight batches settled");
        long minted = completed(settled);
        assertThat(minted).as("paused mid-run").isLessThan(RECIPIENTS);
        long supply = totalSupply(collection);
        assertThat(supply).isEqualTo(minted);
        long block = infra.chain.rpc.blockNumber();
        while (infra.chain.rpc.blockNumber() < block + 4) {
            sleep(250);
            assertThat(totalSupply(collection)).as("tokens on chain while paused").isEqualTo(supply);
        }
        JsonNode still = api.campaign(id);
        assertThat(still.get("status").asText()).isEqualTo("PAUSED");
        assertThat(completed(still)).as("recipients minted while paused").isEqualTo(minted);
        assertThat(batches(still, "PENDING")).isPositive();

        assertThat(api.resume(id).get("status").asText()).isIn("PROCESSING", "COMPLETED");
        awaitCampaign(api, id, c -> c.get("status").asText().equals("COMPLETED"), "completed after the resume");

        assertEachHoldsExactlyOneToken(api, id, collection, recipients);
    }

    @Test
    void aCancelledDistributionKeepsWhatWasMintedAndADistributionAgainMintsTheRestOnce() {
        Map<String, String> env = environment();
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        List<Address> uploaded = DevChain.freshAddresses(RECIPIENTS);
        String id = campaignWith(api, uploaded);
        Address collection = Address.parse(api.campaign(id).get("contract").asText());

        // Removed before the distribution: never minted.
        List<Address> removed = List.of(uploaded.get(3), uploaded.get(50), uploaded.get(77));
        assertThat(api.removeRecipients(id, removed).get("removed").asInt()).isEqualTo(3);
        assertThat(api.removeRecipient(id, uploaded.get(90)).get("removed").asInt()).isEqualTo(1);
        assertThat(api.removeRecipient(id, uploaded.get(90)).get("removed").asInt()).as("removing again").isZero();
        List<Address> recipients = new ArrayList<>(uploaded);
        recipients.removeAll(removed);
        recipients.remove(uploaded.get(90));

        start("worker", env);
        api.distribute(id);
        awaitCampaign(api, id, c -> completed(c) >= 5, "a first batch minted");
        JsonNode cancelled = api.cancel(id);
        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.cancel(id).get("status").asText()).as("cancelling again").isEqualTo("CANCELLED");
        JsonNode settled = awaitCampaign(api, id, c -> batches(c, "PROCESSING") + batches(c, "SUBMITTED") == 0,
                "in-flight batches settled");
        assertThat(settled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(batches(settled, "CANCELLED")).as("batches cancelled unsigned").isPositive();
        assertThat(batches(settled, "PENDING")).isZero();

        // Minted ones hold their token; the cancelled batches' recipients are PENDING and hold nothing.
        List<JsonNode> rows = api.recipients(id);
        assertThat(rows).hasSize(recipients.size());
        long pending = 0;
        for (JsonNode row : rows) {
            Address owner = Address.parse(row.get("address").asText());
            switch (row.get("status").asText()) {
                case "COMPLETED" -> assertThat(balanceOf(collection, owner)).as("tokens of %s", owner).isEqualTo(1);
                case "PENDING" -> {
                    assertThat(balanceOf(collection, owner)).as("tokens of %s", owner).isZero();
                    pending++;
                }
                default -> throw new AssertionError("recipient " + owner + " is " + row.get("status").asText());
            }
        }
        assertThat(pending).as("cancelled mid-run").isPositive();
        assertThat(totalSupply(collection)).isEqualTo(recipients.size() - pending);

        JsonNode again = api.distribute(id);
        assertThat(again.get("plannedRecipients").asLong()).isEqualTo(pending);
        awaitCampaign(api, id, c -> c.get("status").asText().equals("COMPLETED"), "completed after distributing again");

        assertEachHoldsExactlyOneToken(api, id, collection, recipients);
        for (Address gone : removed) {
            assertThat(balanceOf(collection, gone)).as("removed %s", gone).isZero();
        }
        assertThat(balanceOf(collection, uploaded.get(90))).isZero();
    }

    private String campaignWith(Api api, List<Address> recipients) {
        String id = api.createCampaign("Control drop");
        api.uploadCsv(id, "address\n" + recipients.stream().map(Address::toString).collect(Collectors.joining("\n")));
        JsonNode deploy = api.deployTransaction(id, infra.chain.creator);
        String txHash = infra.chain.rpc.sendOk(infra.chain.creator, infra.chain.factory, deploy.get("data").asText())
                .get("transactionHash").asText();
        api.attach(id, txHash);
        return id;
    }

    /** Every recipient COMPLETED with one token on chain, the one the API names; no other token exists. */
    private void assertEachHoldsExactlyOneToken(Api api, String id, Address collection, List<Address> recipients) {
        List<JsonNode> rows = api.recipients(id);
        assertThat(rows).hasSize(recipients.size());
        Set<String> tokens = new HashSet<>();
        for (JsonNode row : rows) {
            Address owner = Address.parse(row.get("address").asText());
            assertThat(recipients).contains(owner);
            assertThat(row.get("status").asText()).as("status of %s", owner).isEqualTo("COMPLETED");
            assertThat(balanceOf(collection, owner)).as("tokens held by %s", owner).isEqualTo(1);
            BigInteger token = new BigInteger(row.get("tokenId").asText());
            assertThat(ownerOf(collection, token)).isEqualTo(owner);
            tokens.add(token.toString());
        }
        assertThat(tokens).hasSize(recipients.size());
        assertThat(totalSupply(collection)).isEqualTo(recipients.size());
    }

    private Service start(String command, Map<String, String> env) {
        Service service = Service.start(command, Settings.fromEnvironment(env), InstantSource.system());
        services.add(service);
        return service;
    }

    private static long completed(JsonNode campaign) {
        return campaign.at("/counts/recipients/COMPLETED").asLong();
    }

    private static long batches(JsonNode campaign, String status) {
        return campaign.at("/counts/batches/" + status).asLong();
    }

    private static JsonNode awaitCampaign(Api api, String id, Predicate<JsonNode> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode campaign = api.campaign(id);
        while (!condition.test(campaign)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within 3 minutes: " + campaign);
            }
            sleep(100);
            campaign = api.campaign(id);
        }
        return campaign;
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
