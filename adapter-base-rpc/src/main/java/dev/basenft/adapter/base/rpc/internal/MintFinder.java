package dev.basenft.adapter.base.rpc.internal;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.TxHash;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Finds the mint of a batch key on chain, to reconcile a batch whose mint landed while nobody was watching: the
 * collection's {@code BatchMinted(key)} event, looked for with {@code eth_getLogs} from the collection's deployment block to
 * the head in ranges of at most {@code blockRange} blocks, newest first (a mint being reconciled is usually recent, and
 * providers refuse wide ranges). When a node refuses even that, it bisects for the block where {@code batchKeyUsed(key)}
 * turned true and reads that block's logs. Stateless apart from the client; thread-safe. Arguments must not be null.
 */
public final class MintFinder {

    private static final System.Logger LOG = System.getLogger("dev.basenft.adapter.base.rpc.BaseRpcChain");

    private final RpcClient rpc;
    private final MintReceipts receipts;
    private final Address minter;
    private final long floorBlock;
    private final long blockRange;

    /**
     * @param floorBlock the first block any collection can be in (the factory's deployment), 0 when unknown
     * @param blockRange the widest {@code eth_getLogs} range asked for, 1 or more
     */
    public MintFinder(RpcClient rpc, MintReceipts receipts, Address minter, long floorBlock, long blockRange) {
        if (blockRange < 1) {
            throw new IllegalArgumentException("blockRange must be at least 1, got " + blockRange);
        }
        this.rpc = rpc;
        this.receipts = receipts;
        this.minter = minter;
        this.floorBlock = floorBlock;
        this.blockRange = blockRange;
    }

    /**
     * @param fromBlock the collection's deployment block; 0 when unknown (the floor block is used then)
     * @return the mint's receipt, or empty when the key was never used or the node does not show the mint yet
     */
    public Optional<MintReceipt> find(Address collection, BatchKey key, long fromBlock) {
        long from = Math.max(fromBlock, floorBlock);
        long head = receipts.read("eth_blockNumber", List.of(), EthBlockNumber.class).getBlockNumber().longValueExact();
        List<Log> logs;
        try {
            logs = scan(collection, key, from, head);
        } catch (JsonRpcErrorException e) {
            LOG.log(Level.INFO, "eth_getLogs over at most {0,number,#} blocks refused ({1}); locating the mint of batch key {2} by"
                    + " bisection", Long.toString(blockRange), e.rpcMessage(), key);
            try {
                logs = bisect(collection, key, from, head);
            } catch (JsonRpcErrorException historical) {
                LOG.log(Level.ERROR, "Cannot locate the mint of batch key {0} on {1}: the node refuses the log range and"
                        + " historical state ({2}). Lower LOGS_BLOCK_RANGE, or use an archive node", key, collection,
                        historical.rpcMessage());
                return Optional.empty();
            }
        }
        if (logs.isEmpty()) {
            return Optional.empty();
        }
        TxHash hash = new TxHash(logs.getFirst().getTransactionHash());
        Optional<MintReceipts.OpReceipt> receipt = receipts.receipt(hash);
        // A node that shows the log but not yet the receipt is lagging: say "not yet", the caller looks again later.
        return receipt.map(r -> receipts.toMintReceipt(r, collection));
    }

    /** Ranges of at most {@code blockRange} blocks from {@code head} down to {@code from}; the first with the event wins. */
    private List<Log> scan(Address collection, BatchKey key, long from, long head) {
        for (long to = head; to >= from; ) {
            long start = Math.max(from, to - blockRange + 1);
            List<Log> logs = batchMintedLogs(collection, key, start, to);
            if (!logs.isEmpty()) {
                return logs;
            }
            to = start - 1;
        }
        return List.of();
    }

    /** {@code BatchMinted(key)} logs of the collection in blocks {@code fromBlock..toBlock}. */
    private List<Log> batchMintedLogs(Address collection, BatchKey key, long fromBlock, long toBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), collection.lowerCase());
        filter.addSingleTopic(Abi.BATCH_MINTED_TOPIC);
        filter.addSingleTopic(key.value());
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : rpc.send("eth_getLogs", List.of(filter), EthLog.class).getLogs()) {
            if (result.get() instanceof Log log && !log.isRemoved()) {
                logs.add(log);
            }
        }
        return logs;
    }

    private List<Log> bisect(Address collection, BatchKey key, long from, long head) {
        long high = head;
        if (!usedAt(collection, key, high)) {
            return List.of();
        }
        long low = from;
        while (low < high) { // invariant: the key is used at high; find the first such block
            long middle = low + (high - low) / 2;
            if (usedAt(collection, key, middle)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return batchMintedLogs(collection, key, low, low);
    }

    /** @throws JsonRpcErrorException when the node cannot answer for that block (no historical state) */
    private boolean usedAt(Address collection, BatchKey key, long block) {
        Transaction call = Transaction.createEthCallTransaction(minter.lowerCase(), collection.lowerCase(),
                Abi.batchKeyUsed(key));
        String value = rpc.send("eth_call", List.of(call, Numeric.encodeQuantity(BigInteger.valueOf(block))), EthCall.class)
                .getValue();
        return Abi.decodeBool(value == null ? "0x" : value);
    }
}
