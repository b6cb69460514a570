package dev.basenft.adapter.base.rpc.internal;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BlockHash;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.ReceiptFees;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Reads a mined transaction's receipt as core's {@link MintReceipt}: the tokens from its Transfer logs, or the failure named
 * when it reverted. Also the adapter's read wrapper, {@link #read}. Stateless apart from the client; thread-safe. No method
 * accepts null unless it says so.
 */
public final class MintReceipts {

    private static final System.Logger LOG = System.getLogger("dev.basenft.adapter.base.rpc.BaseRpcChain");

    private final RpcClient rpc;

    public MintReceipts(RpcClient rpc) {
        this.rpc = rpc;
    }

    /**
     * A read. Its JSON-RPC error (an internal error, a missing header on a lagging node) is the node's trouble, not an answer
     * about the chain: reported as {@link ChainUnavailableException}, so a batch whose transaction may land is never failed
     * on it, and the breaker counts it.
     */
    public <T extends Response<?>> T read(String method, List<?> params, Class<T> type) {
        try {
            return rpc.send(method, params, type);
        } catch (JsonRpcErrorException e) {
            throw new ChainUnavailableException("the node answered with an error, not an answer about the chain: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A receipt with the OP stack's L1 fee field, which web3j's {@link TransactionReceipt} does not know: on Base each
     * transaction also pays for the L1 data it posts, and the receipt reports it as {@code l1Fee} (a hex quantity; absent
     * on anvil and Ethereum, and on deposit transactions).
     */
    public static final class OpReceipt extends TransactionReceipt {
        private String l1Fee;

        public String getL1Fee() {
            return l1Fee;
        }

        public void setL1Fee(String l1Fee) {
            this.l1Fee = l1Fee;
        }
    }

    /** {@code eth_getTransactionReceipt}'s answer read as an {@link OpReceipt}. */
    public static final class GetOpReceipt extends Response<OpReceipt> {
        public Optional<OpReceipt> getTransactionReceipt() {
            return Optional.ofNullable(getResult());
        }
    }

    /** Reads a transaction's receipt with its fee fields; empty while it has none. */
    public Optional<OpReceipt> receipt(TxHash hash) {
        return read("eth_getTransactionReceipt", List.of(hash.value()), GetOpReceipt.class).getTransactionReceipt();
    }

    /**
     * @param collection the collection whose mints count as tokens; null for none (a receipt of another contract)
     */
    public MintReceipt toMintReceipt(TransactionReceipt receipt, Address collection) {
        TxHash hash = new TxHash(receipt.getTransactionHash());
        long block = receipt.getBlockNumber().longValueExact();
        long gasUsed = receipt.getGasUsed().longValueExact();
        Optional<BlockHash> blockHash = Optional.ofNullable(receipt.getBlockHash()).map(BlockHash::new);
        Optional<ReceiptFees> fees = fees(receipt);
        if (!receipt.isStatusOK()) {
            ChainFailure failure = diagnose(receipt);
            return new MintReceipt(hash, false, block, gasUsed, List.of(), failure, blockHash, fees);
        }
        List<MintedToken> tokens = new ArrayList<>();
        for (Log log : receipt.getLogs()) {
            List<String> topics = log.getTopics();
            // ERC-721 Transfer(from, to, tokenId), all indexed; a mint is a transfer from the zero address.
            if (collection != null && log.getAddress() != null && Address.parse(log.getAddress()).equals(collection)
                    && topics.size() == 4 && topics.getFirst().equalsIgnoreCase(Abi.TRANSFER_TOPIC)
                    && Abi.uintFromWord(topics.get(1)).signum() == 0) {
                tokens.add(new MintedToken(Abi.addressFromWord(topics.get(2)), new TokenId(Abi.uintFromWord(topics.get(3)))));
            }
        }
        return new MintReceipt(hash, true, block, gasUsed, tokens, ChainFailure.NONE, blockHash, fees);
    }

    /** The receipt's {@code effectiveGasPrice} and, read as an {@link OpReceipt}, its {@code l1Fee}; empty without a price. */
    static Optional<ReceiptFees> fees(TransactionReceipt receipt) {
        String price = receipt.getEffectiveGasPrice();
        if (price == null || price.isEmpty()) {
            return Optional.empty();
        }
        String l1 = receipt instanceof OpReceipt op ? op.getL1Fee() : null;
        return Optional.of(new ReceiptFees(new Wei(Numeric.decodeQuantity(price)),
                l1 == null || l1.isEmpty() ? Optional.empty() : Optional.of(new Wei(Numeric.decodeQuantity(l1)))));
    }

    /**
     * Why a mined transaction reverted. All its gas used means out of gas (a revert returns what is left). Otherwise the call
     * is replayed with {@code eth_call} at its block, whose error carries the revert data the receipt does not.
     *
     * <p>Collections are EIP-1167 clones: the clone DELEGATECALLs the implementation with 63/64 of the gas it has (EIP-150),
     * so running out of gas inside leaves 1/64 behind, and the clone then reverts with empty data. A revert without a named
     * reason that used at least 63/64 of the gas limit is therefore out of gas too. A real revert uses far less: quotes carry
     * a margin, and a named reason wins over this rule anyway.
     */
    private ChainFailure diagnose(TransactionReceipt receipt) {
        org.web3j.protocol.core.methods.response.Transaction tx = read("eth_getTransactionByHash",
                List.of(receipt.getTransactionHash()), EthTransaction.class).getTransaction().orElse(null);
        if (tx == null || tx.getGas() == null) {
            return ChainFailure.REVERTED;
        }
        BigInteger gasUsed = receipt.getGasUsed();
        if (tx.getGas().equals(gasUsed)) {
            return ChainFailure.OUT_OF_GAS;
        }
        boolean nearlyAllGasUsed = gasUsed.multiply(BigInteger.valueOf(64))
                .compareTo(tx.getGas().multiply(BigInteger.valueOf(63))) >= 0;
        Transaction replay = Transaction.createFunctionCallTransaction(tx.getFrom(), null, null, tx.getGas(), tx.getTo(),
                tx.getValue(), tx.getInput());
        ChainFailure failure;
        String detail;
        try {
            rpc.send("eth_call", List.of(replay, Numeric.encodeQuantity(receipt.getBlockNumber())), EthCall.class);
            failure = ChainFailure.REVERTED;
            detail = "its replay at block " + receipt.getBlockNumber() + " succeeds: the state changed since";
        } catch (JsonRpcErrorException e) {
            RevertDecoder.Decoded decoded = RevertDecoder.decode(e);
            failure = decoded.failure();
            detail = decoded.detail();
        }
        if (failure == ChainFailure.REVERTED && nearlyAllGasUsed) {
            failure = ChainFailure.OUT_OF_GAS;
            detail = "used " + gasUsed + " of its " + tx.getGas() + " gas (" + detail + ")";
        }
        LOG.log(Level.INFO, "Transaction {0} reverted: {1}: {2}", receipt.getTransactionHash(), failure, detail);
        return failure;
    }
}
