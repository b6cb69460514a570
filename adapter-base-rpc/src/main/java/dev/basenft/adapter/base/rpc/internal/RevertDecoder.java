package dev.basenft.adapter.base.rpc.internal;

import dev.basenft.core.model.ChainFailure;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.utils.Numeric;

/**
 * Turns revert data and node error texts into named {@link ChainFailure}s with a readable detail. Stateless.
 */
public final class RevertDecoder {

    /** What went wrong, and the specifics (decoded error arguments or the node's text); never null. */
    public record Decoded(ChainFailure failure, String detail) {
    }

    private static final String BATCH_ALREADY_USED = Abi.selector(Abi.BATCH_ALREADY_USED_ERROR);
    private static final String ENFORCED_PAUSE = Abi.selector(Abi.ENFORCED_PAUSE_ERROR);
    private static final String UNAUTHORIZED = Abi.selector(Abi.UNAUTHORIZED_ERROR);
    private static final String INVALID_RECEIVER = Abi.selector(Abi.INVALID_RECEIVER_ERROR);
    private static final String EMPTY_BATCH = Abi.selector(Abi.EMPTY_BATCH_ERROR);
    private static final String ERROR_STRING = Abi.selector("Error(string)");
    private static final String PANIC = Abi.selector("Panic(uint256)");

    private static final Map<String, String> ROLE_NAMES = Map.of(Abi.MINTER_ROLE, "MINTER_ROLE", Abi.PAUSER_ROLE,
            "PAUSER_ROLE", Abi.DEFAULT_ADMIN_ROLE, "DEFAULT_ADMIN_ROLE");

    /** Revert bytes inside a JSON-RPC error's data, which nodes send bare, quoted, or nested in an object. */
    private static final Pattern HEX_DATA = Pattern.compile("0x[0-9a-fA-F]{8,}");
    /** anvil and others also name the selector in the message: "execution reverted: custom error 0x241e265a: …". */
    private static final Pattern SELECTOR_IN_MESSAGE = Pattern.compile("custom error (0x[0-9a-fA-F]{8})");

    private RevertDecoder() {
    }

    /** Classifies a node's error answer: revert data first, then the message text. */
    public static Decoded decode(JsonRpcErrorException error) {
        String data = revertData(error.data());
        if (data != null) {
            return decodeData(data);
        }
        Matcher selector = SELECTOR_IN_MESSAGE.matcher(error.rpcMessage());
        if (selector.find()) {
            return decodeData(selector.group(1));
        }
        return fromMessage(error.rpcMessage());
    }

    /**
     * Whether a call's error is the contract refusing (revert data, a custom error's selector, EIP-1474's execution error
     * code 3, or the words of a revert or of a gas limit) rather than the node in trouble ("internal error", "header not
     * found"), which says nothing about the call and must not be taken for a verdict on it.
     */
    public static boolean isVerdict(JsonRpcErrorException error) {
        if (revertData(error.data()) != null || SELECTOR_IN_MESSAGE.matcher(error.rpcMessage()).find() || error.code() == 3) {
            return true;
        }
        String text = error.rpcMessage().toLowerCase(Locale.ROOT);
        return text.contains("revert") || fromMessage(error.rpcMessage()).failure() != ChainFailure.REVERTED;
    }

    /** Classifies revert data ({@code 0x} + selector + arguments). */
    public static Decoded decodeData(String data) {
        String hex = data.toLowerCase(Locale.ROOT);
        if (hex.length() < 10) {
            return new Decoded(ChainFailure.REVERTED, "reverted without a reason");
        }
        String selector = hex.substring(0, 10);
        String args = hex.substring(10);
        if (selector.equals(BATCH_ALREADY_USED)) {
            return new Decoded(ChainFailure.BATCH_KEY_USED, "BatchAlreadyUsed(" + word(args, 0, true) + ")");
        }
        if (selector.equals(ENFORCED_PAUSE)) {
            return new Decoded(ChainFailure.PAUSED, "EnforcedPause()");
        }
        if (selector.equals(UNAUTHORIZED)) {
            String account = word(args, 0, false);
            String role = word(args, 1, true);
            String who = account.length() == 64 ? "0x" + account.substring(24) : account;
            return new Decoded(ChainFailure.MISSING_ROLE, "AccessControlUnauthorizedAccount(" + who + ", "
                    + ROLE_NAMES.getOrDefault(role, role) + ")");
        }
        if (selector.equals(INVALID_RECEIVER)) {
            String account = word(args, 0, false);
            String who = account.length() == 64 ? "0x" + account.substring(24) : account;
            return new Decoded(ChainFailure.INVALID_RECIPIENT, "ERC721InvalidReceiver(" + who + ")");
        }
        if (selector.equals(EMPTY_BATCH)) {
            return new Decoded(ChainFailure.REVERTED, "EmptyBatch(): the batch has no recipients");
        }
        if (selector.equals(ERROR_STRING)) {
            return new Decoded(ChainFailure.REVERTED, "reverted: " + errorString(args));
        }
        if (selector.equals(PANIC)) {
            return new Decoded(ChainFailure.REVERTED, "panic 0x" + word(args, 0, false).replaceFirst("^0+(?=.)", ""));
        }
        return new Decoded(ChainFailure.REVERTED, "reverted with custom error " + selector);
    }

    /** Classifies a node's refusal by its text (transaction pool errors carry no data). */
    public static Decoded fromMessage(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        String detail = message == null ? "" : message;
        if (text.contains("insufficient funds")) {
            return new Decoded(ChainFailure.INSUFFICIENT_FUNDS, detail);
        }
        if (text.contains("nonce too low") || text.contains("nonce has already been used") || text.contains("oldnonce")) {
            return new Decoded(ChainFailure.NONCE_TOO_LOW, detail);
        }
        if (text.contains("nonce too high") || text.contains("nonce gap")) {
            return new Decoded(ChainFailure.NONCE_TOO_HIGH, detail);
        }
        if (text.contains("underpriced") || text.contains("less than block base fee") || text.contains("fee too low")) {
            return new Decoded(ChainFailure.UNDERPRICED, detail);
        }
        if (text.contains("out of gas") || text.contains("gas required exceeds") || text.contains("intrinsic gas too low")
                || text.contains("exceeds block gas limit") || text.contains("gas limit too high")
                || text.contains("exceeds the transaction gas limit") || text.contains("gas limit exceeds")) {
            return new Decoded(ChainFailure.OUT_OF_GAS, detail);
        }
        return new Decoded(ChainFailure.REVERTED, detail.isEmpty() ? "reverted without a reason" : detail);
    }

    /** "Already known" in the words of geth, Erigon, Nethermind, reth and anvil: the node holds this very transaction. */
    public static boolean isAlreadyKnown(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return text.contains("already known") || text.contains("known transaction") || text.contains("already imported")
                || text.contains("alreadyknown") || text.contains("already exists") || text.contains("already in mempool")
                || text.contains("already in the mempool");
    }

    private static String revertData(String data) {
        if (data == null) {
            return null;
        }
        Matcher matcher = HEX_DATA.matcher(data);
        return matcher.find() ? matcher.group() : null;
    }

    /** The {@code index}-th 32-byte word of ABI-encoded arguments, as hex (with {@code 0x} when asked), or "?" if absent. */
    private static String word(String args, int index, boolean prefixed) {
        int from = index * 64;
        if (args.length() < from + 64) {
            return "?";
        }
        String word = args.substring(from, from + 64);
        return prefixed ? "0x" + word : word;
    }

    private static String errorString(String args) {
        try {
            int offset = new BigInteger(args.substring(0, 64), 16).intValueExact() * 2;
            int length = new BigInteger(args.substring(offset, offset + 64), 16).intValueExact();
            byte[] bytes = Numeric.hexStringToByteArray(args.substring(offset + 64, offset + 64 + length * 2));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return "(undecodable reason)";
        }
    }
}
