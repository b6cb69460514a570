package dev.basenft.adapter.base.rpc.contracts;

import static dev.basenft.adapter.base.rpc.testing.Calls.address;
import static dev.basenft.adapter.base.rpc.testing.Calls.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignKey;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The factory on a real anvil: clones initialised for their creator, MINTER_ROLE for the configured minter, the event. */
class FactoryContractTest {

    private static DevChain chain;
    private static DevRpc rpc;

    @BeforeAll
    static void startChain() {
        chain = DevChain.start();
        rpc = chain.rpc;
    }

    @AfterAll
    static void stopChain() {
        chain.close();
    }

    private static boolean hasRole(Address collection, String role, Address account) {
        return Abi.decodeBool(rpc.ethCall(null, collection, Abi.hasRole(role, account)));
    }

    @Test
    void factoryRemembersItsImplementationAndMinter() {
        assertThat(Abi.decodeAddress(rpc.ethCall(null, chain.factory, encode("implementation")))).contains(chain.implementation);
        assertThat(Abi.decodeAddress(rpc.ethCall(null, chain.factory, encode("minter")))).contains(chain.minter);
    }

    @Test
    void createCollectionEmitsAnEventNamingTheNewCloneItsCreatorAndItsCampaign() {
        CampaignKey campaign = DevChain.randomCampaignKey();
        Address predicted = Abi.decodeAddress(rpc.ethCall(null, chain.factory, Abi.predictCollection(chain.creator, campaign)))
                .orElseThrow();
        JsonNode receipt = rpc.sendOk(chain.creator, chain.factory, Abi.createCollection(campaign, "Summer Drop", "SUM",
                "ar://meta/"));

        JsonNode created = null;
        for (JsonNode log : receipt.get("logs")) {
            if (log.get("topics").get(0).asText().equalsIgnoreCase(Abi.COLLECTION_CREATED_TOPIC)) {
                created = log;
            }
        }
        assertThat(created).as("CollectionCreated").isNotNull();
        assertThat(Address.parse(created.get("address").asText())).as("emitted by the factory").isEqualTo(chain.factory);
        assertThat(Abi.addressFromWord(created.get("topics").get(1).asText())).as("creator").isEqualTo(chain.creator);
        Address collection = Abi.addressFromWord(created.get("topics").get(2).asText());
        assertThat(collection).as("CREATE2 at the predicted address").isEqualTo(predicted);
        assertThat(new CampaignKey(created.get("topics").get(3).asText())).as("campaign").isEqualTo(campaign);
        assertThat(Calls.decodeStrings(created.get("data").asText(), 3)).containsExactly("Summer Drop", "SUM", "ar://meta/");

        // The collection is an EIP-1167 minimal proxy (45 bytes) delegating to our implementation.
        String code = rpc.call("eth_getCode", collection.lowerCase(), "latest").asText();
        assertThat(code).hasSize(2 + 90)
                .startsWith("0x363d3d373d3d3d363d73" + chain.implementation.lowerCase().substring(2))
                .endsWith("5af43d82803e903d91602b57fd5bf3");
    }

    @Test
    void cloneIsInitialisedForItsCreatorWithMinterRoleForTheConfiguredMinter() {
        Address collection = chain.createCollection("Winter", "WIN", "https://meta.example/w/");

        assertThat(Calls.decodeString(rpc.ethCall(null, collection, encode("name")))).isEqualTo("Winter");
        assertThat(Calls.decodeString(rpc.ethCall(null, collection, encode("symbol")))).isEqualTo("WIN");
        assertThat(hasRole(collection, Abi.DEFAULT_ADMIN_ROLE, chain.creator)).as("creator is admin").isTrue();
        assertThat(hasRole(collection, Abi.PAUSER_ROLE, chain.creator)).as("creator may pause").isTrue();
        assertThat(hasRole(collection, Abi.MINTER_ROLE, chain.minter)).as("configured minter may mint").isTrue();
        assertThat(hasRole(collection, Abi.MINTER_ROLE, chain.creator)).as("creator may not mint").isFalse();
        assertThat(hasRole(collection, Abi.DEFAULT_ADMIN_ROLE, chain.minter)).as("minter is not admin").isFalse();
        assertThat(hasRole(collection, Abi.DEFAULT_ADMIN_ROLE, chain.factory)).as("factory keeps no role").isFalse();

        // The base URI given at creation is the tokenURI prefix.
        rpc.sendOk(chain.minter, collection, Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(1)));
        assertThat(Calls.decodeString(rpc.ethCall(null, collection, encode("tokenURI", Calls.uint(1)))))
                .isEqualTo("https://meta.example/w/1");
    }

    @Test
    void theAdminCanGrantMinterRoleToAnotherWallet() {
        Address collection = chain.createCollection("Grant", "GRT", "");
        rpc.sendOk(chain.creator, collection, encode("grantRole", Calls.bytes32(Abi.MINTER_ROLE), address(chain.stranger)));
        assertThat(hasRole(collection, Abi.MINTER_ROLE, chain.stranger)).isTrue();
        rpc.sendOk(chain.stranger, collection, Abi.mintBatch(DevChain.randomKey(), List.of(chain.stranger)));
    }

    @Test
    void oneCollectionPerSenderAndCampaignAndNobodyCanTakeTheCreatorsAddress() {
        CampaignKey campaign = DevChain.randomCampaignKey();
        // Someone else sends the campaign's deploy first: their own collection, at their own address.
        JsonNode squatter = rpc.sendOk(chain.stranger, chain.factory, Abi.createCollection(campaign, "Squat", "S", ""));
        JsonNode creators = rpc.sendOk(chain.creator, chain.factory, Abi.createCollection(campaign, "Mine", "M", ""));
        Address squatted = createdCollection(squatter);
        Address mine = createdCollection(creators);

        assertThat(mine).isNotEqualTo(squatted).isEqualTo(Abi.decodeAddress(rpc.ethCall(null, chain.factory,
                Abi.predictCollection(chain.creator, campaign))).orElseThrow());
        assertThat(hasRole(mine, Abi.DEFAULT_ADMIN_ROLE, chain.creator)).isTrue();
        assertThat(hasRole(squatted, Abi.DEFAULT_ADMIN_ROLE, chain.creator)).isFalse();
        // The same sender and campaign again cannot deploy (CREATE2 collision): the transaction reverts.
        JsonNode again = rpc.sendAndMine(chain.creator, chain.factory, Abi.createCollection(campaign, "Again", "A", ""),
                1_000_000L);
        assertThat(again.get("status").asText()).isEqualTo("0x0");
    }

    private static Address createdCollection(JsonNode receipt) {
        for (JsonNode log : receipt.get("logs")) {
            if (log.get("topics").get(0).asText().equalsIgnoreCase(Abi.COLLECTION_CREATED_TOPIC)) {
                return Abi.addressFromWord(log.get("topics").get(2).asText());
            }
        }
        throw new AssertionError("no CollectionCreated in " + receipt);
    }

    @Test
    void everyCloneIsItsOwnCollection() {
        Address first = chain.createCollection("A", "A", "a/");
        Address second = chain.createCollection("B", "B", "b/");
        assertThat(first).isNotEqualTo(second);
        rpc.sendOk(chain.minter, first, Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(3)));
        assertThat(Calls.decodeUint(rpc.ethCall(null, first, encode("totalSupply")))).isEqualTo(3);
        assertThat(Calls.decodeUint(rpc.ethCall(null, second, encode("totalSupply")))).isZero();
    }
}
