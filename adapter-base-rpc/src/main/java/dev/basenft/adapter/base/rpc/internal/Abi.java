package dev.basenft.adapter.base.rpc.internal;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.CampaignKey;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The parts of the BaseNftCollection and BaseNftFactory ABIs this adapter uses, as canonical signatures. A test checks every
 * signature here against the committed compiler artifacts, so a renamed function or event cannot slip through. Stateless.
 */
public final class Abi {

    public static final String MINT_BATCH = "mintBatch(bytes32,address[])";
    public static final String SAFE_MINT = "safeMint(address)";
    public static final String BATCH_KEY_USED = "batchKeyUsed(bytes32)";
    public static final String HAS_ROLE = "hasRole(bytes32,address)";
    public static final String CREATE_COLLECTION = "createCollection(bytes32,string,string,string)";
    public static final String PREDICT_COLLECTION = "predictCollection(address,bytes32)";
    public static final String FACTORY_MINTER = "minter()";
    public static final String FACTORY_IMPLEMENTATION = "implementation()";

    public static final String TRANSFER_EVENT = "Transfer(address,address,uint256)";
    public static final String BATCH_MINTED_EVENT = "BatchMinted(bytes32,uint256,uint256)";
    /** Topics: the event, creator, collection, campaign key (all three indexed). */
    public static final String COLLECTION_CREATED_EVENT =
            "CollectionCreated(address,address,bytes32,string,string,string)";

    public static final String BATCH_ALREADY_USED_ERROR = "BatchAlreadyUsed(bytes32)";
    public static final String EMPTY_BATCH_ERROR = "EmptyBatch()";
    public static final String ENFORCED_PAUSE_ERROR = "EnforcedPause()";
    public static final String UNAUTHORIZED_ERROR = "AccessControlUnauthorizedAccount(address,bytes32)";
    public static final String INVALID_RECEIVER_ERROR = "ERC721InvalidReceiver(address)";

    public static final String TRANSFER_TOPIC = Hash.sha3String(TRANSFER_EVENT);
    public static final String BATCH_MINTED_TOPIC = Hash.sha3String(BATCH_MINTED_EVENT);
    public static final String COLLECTION_CREATED_TOPIC = Hash.sha3String(COLLECTION_CREATED_EVENT);

    /** {@code keccak256("MINTER_ROLE")}, as the contract defines it. */
    public static final String MINTER_ROLE = Hash.sha3String("MINTER_ROLE");
    /** {@code keccak256("PAUSER_ROLE")}. */
    public static final String PAUSER_ROLE = Hash.sha3String("PAUSER_ROLE");
    /** OpenZeppelin's admin role, bytes32 zero. */
    public static final String DEFAULT_ADMIN_ROLE = "0x" + "0".repeat(64);

    /** Every function, event and error above, as {@code "function name(types)"} etc., for the ABI check. */
    public static final List<String> USED_SIGNATURES = List.of(
            "function " + MINT_BATCH, "function " + SAFE_MINT, "function " + BATCH_KEY_USED, "function " + HAS_ROLE,
            "function " + CREATE_COLLECTION, "function " + PREDICT_COLLECTION, "function " + FACTORY_MINTER, "function " + FACTORY_IMPLEMENTATION,
            "event " + TRANSFER_EVENT, "event " + BATCH_MINTED_EVENT, "event " + COLLECTION_CREATED_EVENT,
            "error " + BATCH_ALREADY_USED_ERROR, "error " + EMPTY_BATCH_ERROR, "error " + ENFORCED_PAUSE_ERROR,
            "error " + UNAUTHORIZED_ERROR, "error " + INVALID_RECEIVER_ERROR);

    private Abi() {
    }

    /** The 4-byte selector of a function or error signature, as {@code 0x} and 8 hex digits. */
    public static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    public static String mintBatch(BatchKey key, List<Address> recipients) {
        List<org.web3j.abi.datatypes.Address> to = recipients.stream().map(Abi::address).toList();
        return encode("mintBatch", new Bytes32(key.bytes()),
                new DynamicArray<>(org.web3j.abi.datatypes.Address.class, to));
    }

    public static String safeMint(Address to) {
        return encode("safeMint", address(to));
    }

    public static String batchKeyUsed(BatchKey key) {
        return encode("batchKeyUsed", new Bytes32(key.bytes()));
    }

    public static String hasRole(String role, Address account) {
        return encode("hasRole", new Bytes32(Numeric.hexStringToByteArray(role)), address(account));
    }

    public static String createCollection(CampaignKey campaign, String name, String symbol, String baseUri) {
        return encode("createCollection", new Bytes32(campaign.bytes()), new Utf8String(name), new Utf8String(symbol),
                new Utf8String(baseUri));
    }

    public static String predictCollection(Address creator, CampaignKey campaign) {
        return encode("predictCollection", address(creator), new Bytes32(campaign.bytes()));
    }

    public static String factoryMinter() {
        return encode("minter");
    }

    /** Decodes an {@code eth_call} result holding one {@code bool}; an empty result (no code at the address) is false. */
    public static boolean decodeBool(String result) {
        String hex = Numeric.cleanHexPrefix(result == null ? "" : result);
        return hex.length() >= 64 && uintFromWord(hex.substring(0, 64)).signum() != 0;
    }

    /** Decodes an {@code eth_call} result holding one {@code address}, or empty when there is none. */
    public static java.util.Optional<Address> decodeAddress(String result) {
        String hex = Numeric.cleanHexPrefix(result == null ? "" : result);
        if (hex.length() < 64) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(addressFromWord(hex.substring(0, 64)));
    }

    /** The address in the low 20 bytes of a 32-byte word (a topic or an ABI slot), with or without {@code 0x}. */
    public static Address addressFromWord(String word) {
        String hex = Numeric.cleanHexPrefix(word);
        return Address.parse("0x" + hex.substring(hex.length() - 40));
    }

    /** A 32-byte word (topic or ABI slot) as an unsigned integer. */
    public static BigInteger uintFromWord(String word) {
        String hex = Numeric.cleanHexPrefix(word);
        return hex.isEmpty() ? BigInteger.ZERO : new BigInteger(hex, 16);
    }

    private static org.web3j.abi.datatypes.Address address(Address address) {
        return new org.web3j.abi.datatypes.Address(address.lowerCase());
    }

    private static String encode(String name, Type<?>... inputs) {
        return FunctionEncoder.encode(new Function(name, List.of(inputs), List.of()));
    }
}
