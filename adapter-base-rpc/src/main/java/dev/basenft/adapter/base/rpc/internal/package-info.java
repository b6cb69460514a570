/**
 * The adapter's internals: JSON-RPC transport on the JDK HTTP client, failover and retries, ABI encoding, and the
 * classification of node errors into transport failures and named chain failures. Not an API: public only so that
 * {@link dev.basenft.adapter.base.rpc.BaseRpcChain} can reach it across packages.
 */
package dev.basenft.adapter.base.rpc.internal;
