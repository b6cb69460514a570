/**
 * The chain gateway to Base over JSON-RPC, on web3j and Failsafe: {@link dev.basenft.adapter.base.rpc.BaseRpcChain}
 * implements core's {@code Chain} and {@code CollectionFactory} ports, built from validated
 * {@link dev.basenft.adapter.base.rpc.BaseRpcSettings}. {@link dev.basenft.adapter.base.rpc.ContractArtifact} gives the
 * compiled collection and factory for deployments.
 *
 * <p>Nothing in this package logs or puts into a message the minter's private key or the path and query of an RPC URL.
 */
package dev.basenft.adapter.base.rpc;
