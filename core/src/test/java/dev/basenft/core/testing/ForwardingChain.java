package dev.basenft.core.testing;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import java.util.Optional;

/**
 * A {@link Chain} that passes every call to another: a test overrides the few calls whose behaviour it bends (a reorg on
 * the head read, a broadcast that waits for its block) and inherits the rest, so a new port method is forwarded here once.
 * As thread-safe as the chain it forwards to.
 */
public abstract class ForwardingChain implements Chain {

    private final Chain delegate;

    /** @param delegate never null */
    protected ForwardingChain(Chain delegate) {
        this.delegate = Require.notNull("delegate", delegate);
    }

    /** The chain calls are passed to. */
    protected Chain delegate() {
        return delegate;
    }

    @Override
    public ChainId chainId() {
        return delegate.chainId();
    }

    @Override
    public Address minter() {
        return delegate.minter();
    }

    @Override
    public long pendingNonce(Address wallet) {
        return delegate.pendingNonce(wallet);
    }

    @Override
    public long latestNonce(Address wallet) {
        return delegate.latestNonce(wallet);
    }

    @Override
    public Wei balance(Address wallet) {
        return delegate.balance(wallet);
    }

    @Override
    public Fees currentFees() {
        return delegate.currentFees();
    }

    @Override
    public MintQuote quoteMint(MintCall call) {
        return delegate.quoteMint(call);
    }

    @Override
    public SignedTransaction signMint(MintCall call, long nonce, MintQuote quote) {
        return delegate.signMint(call, nonce, quote);
    }

    @Override
    public BroadcastResult broadcast(SignedTransaction transaction) {
        return delegate.broadcast(transaction);
    }

    @Override
    public TransactionStatus status(TxHash hash) {
        return delegate.status(hash);
    }

    @Override
    public boolean batchKeyUsed(Address collection, BatchKey key) {
        return delegate.batchKeyUsed(collection, key);
    }

    @Override
    public Optional<MintReceipt> findMint(Address collection, BatchKey key, long fromBlock) {
        return delegate.findMint(collection, key, fromBlock);
    }

    @Override
    public long blockNumber() {
        return delegate.blockNumber();
    }

    @Override
    public long nonceAt(Address wallet, long block) {
        return delegate.nonceAt(wallet, block);
    }

    @Override
    public boolean batchKeyUsedAt(Address collection, BatchKey key, long block) {
        return delegate.batchKeyUsedAt(collection, key, block);
    }

    @Override
    public SignedTransaction signFiller(long nonce, Fees fees) {
        return delegate.signFiller(nonce, fees);
    }
}
