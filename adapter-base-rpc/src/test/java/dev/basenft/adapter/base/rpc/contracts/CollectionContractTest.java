package dev.basenft.adapter.base.rpc.contracts;

import static dev.basenft.adapter.base.rpc.testing.Calls.address;
import static dev.basenft.adapter.base.rpc.testing.Calls.bytes32;
import static dev.basenft.adapter.base.rpc.testing.Calls.encode;
import static dev.basenft.adapter.base.rpc.testing.Calls.errorData;
import static dev.basenft.adapter.base.rpc.testing.Calls.uint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collection contract's behaviour on a real anvil, always through a clone made by our factory (how production uses it),
 * with calls sent straight to the node, not through the adapter.
 */
class CollectionContractTest {

    private static final String BASE_URI = "ipfs://bafy-campaign/";
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

    private static Address newCollection() {
        return chain.createCollection("Campaign", "CMP", BASE_URI);
    }

    private static JsonNode mint(Address collection, BatchKey key, List<Address> to) {
        return rpc.sendOk(chain.minter, collection, Abi.mintBatch(key, to));
    }

    /** The revert data of {@code data} sent from {@code from}, read with eth_call (what estimation would see). */
    private static String revertData(Address from, Address to, String data) {
        try {
            rpc.ethCall(from, to, data);
        } catch (DevRpc.RpcError e) {
            return e.data;
        }
        throw new AssertionError("expected a revert");
    }

    private static List<long[]> mintedIds(JsonNode receipt, List<Address> expectedOrder) {
        List<long[]> ids = new ArrayList<>();
        for (JsonNode log : receipt.get("logs")) {
            JsonNode topics = log.get("topics");
            if (topics.get(0).asText().equalsIgnoreCase(Abi.TRANSFER_TOPIC)) {
                assertThat(Abi.uintFromWord(topics.get(1).asText())).as("minted from the zero address").isZero();
                Address to = Abi.addressFromWord(topics.get(2).asText());
                ids.add(new long[] {expectedOrder.indexOf(to), Abi.uintFromWord(topics.get(3).asText()).longValueExact()});
            }
        }
        return ids;
    }

    private static BigInteger view(Address collection, String data) {
        return Calls.decodeUint(rpc.ethCall(null, collection, data));
    }

    @Test
    void mintBatchGivesSequentialIdsFromOneOnePerRecipientInListOrder() {
        Address collection = newCollection();
        List<Address> first = DevChain.freshAddresses(3);
        BatchKey key = DevChain.randomKey();

        JsonNode receipt = mint(collection, key, first);

        assertThat(mintedIds(receipt, first)).containsExactly(new long[] {0, 1}, new long[] {1, 2}, new long[] {2, 3});
        for (int i = 0; i < first.size(); i++) {
            String owner = rpc.ethCall(null, collection, encode("ownerOf", uint(i + 1)));
            assertThat(Abi.addressFromWord(owner)).isEqualTo(first.get(i));
        }
        JsonNode batchMinted = null;
        for (JsonNode log : receipt.get("logs")) {
            if (log.get("topics").get(0).asText().equalsIgnoreCase(Abi.BATCH_MINTED_TOPIC)) {
                batchMinted = log;
            }
        }
        assertThat(batchMinted).as("BatchMinted event").isNotNull();
        assertThat(batchMinted.get("topics").get(1).asText()).isEqualTo(key.value());
        String data = batchMinted.get("data").asText().substring(2);
        assertThat(Abi.uintFromWord(data.substring(0, 64))).as("firstTokenId").isEqualTo(1);
        assertThat(Abi.uintFromWord(data.substring(64, 128))).as("count").isEqualTo(3);

        List<Address> second = DevChain.freshAddresses(2);
        assertThat(mintedIds(mint(collection, DevChain.randomKey(), second), second))
                .containsExactly(new long[] {0, 4}, new long[] {1, 5});
        assertThat(view(collection, encode("nextTokenId"))).isEqualTo(6);
        assertThat(view(collection, encode("totalSupply"))).isEqualTo(5);
        assertThat(Abi.decodeBool(rpc.ethCall(null, collection, Abi.batchKeyUsed(key)))).isTrue();
        assertThat(Abi.decodeBool(rpc.ethCall(null, collection, Abi.batchKeyUsed(DevChain.randomKey())))).isFalse();
    }

    @Test
    void reusedBatchKeyRevertsWithBatchAlreadyUsedAndMintsNothing() {
        Address collection = newCollection();
        BatchKey key = DevChain.randomKey();
        mint(collection, key, DevChain.freshAddresses(2));
        String reuse = Abi.mintBatch(key, DevChain.freshAddresses(1));

        assertThat(revertData(chain.minter, collection, reuse))
                .isEqualTo(errorData(Abi.BATCH_ALREADY_USED_ERROR, bytes32(key.value())));
        // Mined anyway (explicit gas, no estimate): it fails on chain too, and nothing is minted.
        JsonNode receipt = rpc.sendAndMine(chain.minter, collection, reuse, 200_000L);
        assertThat(receipt.get("status").asText()).isEqualTo("0x0");
        assertThat(view(collection, encode("totalSupply"))).isEqualTo(2);
    }

    @Test
    void pausedCollectionRefusesMintsUntilUnpausedAndOnlyThePauserMayPause() {
        Address collection = newCollection();
        assertThat(revertData(chain.stranger, collection, encode("pause")))
                .isEqualTo(errorData(Abi.UNAUTHORIZED_ERROR, address(chain.stranger), bytes32(Abi.PAUSER_ROLE)));

        rpc.sendOk(chain.creator, collection, encode("pause"));
        String mintCall = Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(1));
        assertThat(revertData(chain.minter, collection, mintCall)).isEqualTo(errorData(Abi.ENFORCED_PAUSE_ERROR));
        assertThat(revertData(chain.minter, collection, encode("safeMint", address(DevChain.freshAddresses(1).getFirst()))))
                .isEqualTo(errorData(Abi.ENFORCED_PAUSE_ERROR));

        rpc.sendOk(chain.creator, collection, encode("unpause"));
        rpc.sendOk(chain.minter, collection, mintCall);
        assertThat(view(collection, encode("totalSupply"))).isEqualTo(1);
    }

    @Test
    void callerWithoutMinterRoleIsRefusedEvenTheCollectionsAdmin() {
        Address collection = newCollection();
        String mintCall = Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(1));
        for (Address caller : List.of(chain.stranger, chain.creator)) {
            assertThat(revertData(caller, collection, mintCall)).as("mintBatch from " + caller)
                    .isEqualTo(errorData(Abi.UNAUTHORIZED_ERROR, address(caller), bytes32(Abi.MINTER_ROLE)));
            assertThat(revertData(caller, collection, encode("safeMint", address(caller)))).as("safeMint from " + caller)
                    .isEqualTo(errorData(Abi.UNAUTHORIZED_ERROR, address(caller), bytes32(Abi.MINTER_ROLE)));
        }
    }

    @Test
    void zeroAddressRevertsTheWholeBatch() {
        Address collection = newCollection();
        List<Address> withZero = List.of(DevChain.freshAddresses(1).getFirst(), Address.ZERO);
        assertThat(revertData(chain.minter, collection, Abi.mintBatch(DevChain.randomKey(), withZero)))
                .isEqualTo(errorData(Abi.INVALID_RECEIVER_ERROR, address(Address.ZERO)));
        JsonNode receipt = rpc.sendAndMine(chain.minter, collection, Abi.mintBatch(DevChain.randomKey(), withZero), 300_000L);
        assertThat(receipt.get("status").asText()).isEqualTo("0x0");
        assertThat(view(collection, encode("totalSupply"))).isZero();
    }

    @Test
    void emptyBatchReverts() {
        Address collection = newCollection();
        String empty = encode("mintBatch", bytes32(DevChain.randomKey().value()),
                new org.web3j.abi.datatypes.DynamicArray<>(org.web3j.abi.datatypes.Address.class, List.of()));
        assertThat(revertData(chain.minter, collection, empty)).isEqualTo(errorData(Abi.EMPTY_BATCH_ERROR));
    }

    @Test
    void tokenUriIsTheBaseUriFollowedByTheDecimalIdAndUnknownTokensRevert() {
        Address collection = newCollection();
        mint(collection, DevChain.randomKey(), DevChain.freshAddresses(12));
        assertThat(Calls.decodeString(rpc.ethCall(null, collection, encode("tokenURI", uint(1))))).isEqualTo(BASE_URI + "1");
        assertThat(Calls.decodeString(rpc.ethCall(null, collection, encode("tokenURI", uint(12))))).isEqualTo(BASE_URI + "12");
        assertThat(revertData(null, collection, encode("tokenURI", uint(13))))
                .isEqualTo(errorData("ERC721NonexistentToken(uint256)", uint(13)));
    }

    @Test
    void safeMintMintsTheNextIdToOneRecipient() {
        Address collection = newCollection();
        mint(collection, DevChain.randomKey(), DevChain.freshAddresses(2));
        Address recipient = DevChain.freshAddresses(1).getFirst();
        JsonNode receipt = rpc.sendOk(chain.minter, collection, encode("safeMint", address(recipient)));
        assertThat(mintedIds(receipt, List.of(recipient))).containsExactly(new long[] {0, 3});
    }

    @Test
    void aCloneCannotBeInitialisedAgainNorTheImplementationAtAll() {
        Address collection = newCollection();
        String initialize = encode("initialize", Calls.text("X"), Calls.text("X"), Calls.text("x/"), address(chain.stranger),
                address(chain.stranger));
        assertThat(revertData(chain.stranger, collection, initialize)).isEqualTo(errorData("InvalidInitialization()"));
        assertThat(revertData(chain.stranger, chain.implementation, initialize)).isEqualTo(errorData("InvalidInitialization()"));
        assertThatThrownBy(() -> rpc.ethCall(chain.stranger, collection, Abi.mintBatch(DevChain.randomKey(),
                DevChain.freshAddresses(1)))).isInstanceOf(DevRpc.RpcError.class);
    }
}
