package dev.basenft.core.model;

/**
 * Why the chain refused or reverted a mint, in words an operator can act on. Every one of these is deterministic: retrying the
 * same call gives the same answer, so none of them counts against the circuit breaker.
 */
public enum ChainFailure {
    /** Nothing went wrong. */
    NONE("no failure"),
    /** The collection has seen this batch key: the batch is already minted. */
    BATCH_KEY_USED("batch key already used on chain: this batch was already minted"),
    /** The collection is paused. */
    PAUSED("contract is paused"),
    /** The minter wallet lacks MINTER_ROLE on the collection. */
    MISSING_ROLE("minter wallet does not have MINTER_ROLE on the collection (role not granted)"),
    /** The minter cannot pay gas × fee. */
    INSUFFICIENT_FUNDS("minter wallet has insufficient funds for gas"),
    /** The transaction ran out of gas. */
    OUT_OF_GAS("transaction ran out of gas (insufficient gas)"),
    /** The nonce is already used: the wallet's count moved past it. */
    NONCE_TOO_LOW("nonce too low: the wallet already used this nonce"),
    /** The nonce is ahead of the wallet's count. */
    NONCE_TOO_HIGH("nonce too high: the wallet's nonce is behind"),
    /** A replacement did not raise fees enough. */
    UNDERPRICED("replacement transaction underpriced"),
    /** A recipient the contract refuses, such as the zero address. */
    INVALID_RECIPIENT("the contract refused a recipient address"),
    /** Any other revert; the message carries the node's text. */
    REVERTED("transaction reverted");

    private final String description;

    ChainFailure(String description) {
        this.description = description;
    }

    /** A sentence for the batch's {@code error} field. */
    public String description() {
        return description;
    }
}
