package dev.basenft.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import dev.basenft.core.model.Address;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's takeovers, refused: the real server over PostgreSQL, anvil with our factory, creators' wallets sending the
 * deploy calls the API hands out, and the attach requests over HTTP. After each refusal the database is asked directly
 * that no campaign but the rightful one has the collection. FID 7's wallet is anvil's account 2, FID 8's account 3, and
 * account 4 plays an attacker who watches the mempool.
 */
class CollectionBindingTest {

    private static final String FOR_ANOTHER_CAMPAIGN = "urn:base-nft:problem:collection-for-another-campaign";
    private static final String CAMPAIGN_HAS_COLLECTION = "urn:base-nft:problem:campaign-has-collection";

    private static Infrastructure infra;
    private static Service server;
    private static Api fid7;
    private static Api fid8;
    private static Address wallet7;
    private static Address attacker;

    @BeforeAll
    static void startServer() {
        infra = Infrastructure.start();
        server = Service.start("server", Settings.fromEnvironment(infra.environment()), InstantSource.system());
        int port = server.httpPort().orElseThrow();
        fid7 = new Api(port, 7);
        fid8 = new Api(port, 8);
        wallet7 = infra.chain.creator;
        attacker = infra.chain.rpc.accounts().get(4);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(10));
        }
        if (infra != null) {
            infra.close();
        }
    }

    /** Sends the deploy call the API handed out, from {@code wallet}; returns the transaction's hash. */
    private static String deploy(JsonNode call, Address wallet) {
        JsonNode receipt = infra.chain.rpc.sendOk(wallet, Address.parse(call.get("to").asText()), call.get("data").asText());
        return receipt.get("transactionHash").asText();
    }

    @Test
    void anotherCreatorCannotAttachAFreshlyDeployedCollection() throws Exception {
        String campaign7 = fid7.createCampaign("Seven's drop");
        JsonNode call = fid7.deployTransaction(campaign7, wallet7);
        String tx7 = deploy(call, wallet7);
        Address collection = Address.parse(call.get("collection").asText());
        assertThat(code(collection)).as("deployed where the API said").isNotEqualTo("0x");
        String campaign8 = fid8.createCampaign("Eight's drop");

        Api.Answer takeover = fid8.tryAttach(campaign8, tx7);

        assertThat(takeover.status()).as(takeover.body().toString()).isEqualTo(409);
        assertThat(takeover.body().get("type").asText()).isEqualTo(FOR_ANOTHER_CAMPAIGN);
        assertThat(fid8.campaign(campaign8).get("contract").isNull()).isTrue();
        assertThat(campaignsWith(collection)).as("nothing attached").isZero();

        // The rightful attach still works, and records who deployed it and where.
        JsonNode attached = fid7.attach(campaign7, tx7);
        assertThat(Address.parse(attached.get("contract").asText())).isEqualTo(collection);
        assertThat(Address.parse(attached.get("creatorWallet").asText())).isEqualTo(wallet7);
        assertThat(attached.get("deployBlock").asLong()).isEqualTo(blockOf(tx7));
        assertThat(fid8.tryAttach(campaign8, tx7).status()).as("nor once it is attached").isEqualTo(409);
        assertThat(campaignsWith(collection)).isEqualTo(1);
    }

    @Test
    void aCreatorCannotAttachOneCollectionToASecondCampaign() throws Exception {
        String first = fid7.createCampaign("First");
        String tx = deploy(fid7.deployTransaction(first, wallet7), wallet7);
        Address collection = Address.parse(fid7.attach(first, tx).get("contract").asText());
        String second = fid7.createCampaign("Second");

        Api.Answer again = fid7.tryAttach(second, tx);

        assertThat(again.status()).as(again.body().toString()).isEqualTo(409);
        assertThat(again.body().get("type").asText()).isEqualTo(FOR_ANOTHER_CAMPAIGN);
        assertThat(fid7.campaign(second).get("contract").isNull()).isTrue();
        assertThat(campaignsWith(collection)).as("still only the first campaign's").isEqualTo(1);
        // Re-attaching it to its own campaign is harmless.
        assertThat(fid7.tryAttach(first, tx).status()).isEqualTo(200);
    }

    @Test
    void anAttackerSendingTheDeployFirstNeitherBlocksTheCreatorNorGetsAUsableCollection() throws Exception {
        String campaign = fid7.createCampaign("Front-run");
        JsonNode call = fid7.deployTransaction(campaign, wallet7);
        // The attacker copies the call (it is public once in the mempool) and gets it mined first.
        String attackerTx = deploy(call, attacker);
        Address attackers = Address.parse(fid7.deployTransaction(campaign, attacker).get("collection").asText());
        assertThat(code(attackers)).isNotEqualTo("0x");

        String creatorTx = deploy(call, wallet7);
        JsonNode attached = fid7.attach(campaign, creatorTx);

        assertThat(Address.parse(attached.get("contract").asText())).isEqualTo(Address.parse(call.get("collection").asText()))
                .isNotEqualTo(attackers);
        assertThat(Address.parse(attached.get("creatorWallet").asText())).isEqualTo(wallet7);
        // The attacker's collection is bound to this campaign, which has its own now, and to no other.
        Api.Answer here = fid7.tryAttach(campaign, attackerTx);
        assertThat(here.status()).isEqualTo(409);
        assertThat(here.body().get("type").asText()).isEqualTo(CAMPAIGN_HAS_COLLECTION);
        String other7 = fid7.createCampaign("Another of seven's");
        String other8 = fid8.createCampaign("One of eight's");
        for (Api.Answer elsewhere : new Api.Answer[] {fid7.tryAttach(other7, attackerTx), fid8.tryAttach(other8,
                attackerTx)}) {
            assertThat(elsewhere.status()).as(elsewhere.body().toString()).isEqualTo(409);
            assertThat(elsewhere.body().get("type").asText()).isEqualTo(FOR_ANOTHER_CAMPAIGN);
        }
        assertThat(fid7.campaign(other7).get("contract").isNull()).isTrue();
        assertThat(fid8.campaign(other8).get("contract").isNull()).isTrue();
        assertThat(campaignsWith(attackers)).as("nothing attached").isZero();
    }

    private static String code(Address address) {
        return infra.chain.rpc.call("eth_getCode", address.lowerCase(), "latest").asText();
    }

    private static long blockOf(String txHash) {
        return Long.decode(infra.chain.rpc.call("eth_getTransactionReceipt", txHash).get("blockNumber").asText());
    }

    /** Straight from the server's database: how many campaigns have {@code collection}. */
    private static long campaignsWith(Address collection) throws SQLException {
        try (Connection c = infra.connect();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM campaigns WHERE contract = ?")) {
            s.setBytes(1, collection.bytes());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
