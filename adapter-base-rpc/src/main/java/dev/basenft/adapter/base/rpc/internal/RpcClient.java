package dev.basenft.adapter.base.rpc.internal;

import dev.basenft.adapter.base.rpc.RpcCallObserver;
import dev.basenft.core.model.ChainUnavailableException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthChainId;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * JSON-RPC over several endpoints in failover order, with retries on transport errors only.
 *
 * <p>One <em>attempt</em> tries the endpoints in configured order, healthy ones first (an endpoint that just failed cools
 * down behind them), and moves to the next one on a transport failure. When every endpoint failed, Failsafe retries the
 * attempt with backoff and jitter; when the attempts are used up the call throws {@link ChainUnavailableException}, the
 * only failure the circuit breaker counts. A JSON-RPC error that answers the request (a revert, "nonce too low") ends the
 * call at once with {@link JsonRpcErrorException}: no retry, no failover, not a transport failure.
 *
 * <p>An attempt in which every endpoint answered HTTP 4xx other than 429 (a wrong URL or API key) is not repeated: the
 * call fails at once, still as {@link ChainUnavailableException}, since no node answered the question.
 *
 * <p>Before an endpoint is first used its {@code eth_chainId} is checked; an endpoint serving another chain is never used.
 *
 * <p>Thread-safe.
 */
public final class RpcClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RpcClient.class.getName());

    private final HttpClient http;
    private final List<Endpoint> endpoints;
    private final long expectedChainId;
    private final long cooldownNanos;
    private final int maxAttempts;
    private final RetryPolicy<Object> retryPolicy;
    private final AtomicReference<Endpoint> lastAnswered = new AtomicReference<>();
    private final RpcCallObserver observer;

    /**
     * @param urls endpoints in failover order; not empty
     * @param expectedChainId what {@code eth_chainId} must return
     * @param callTimeout per HTTP request, connection included
     * @param maxAttempts attempts per call (each over all endpoints)
     * @param initialBackoff first pause between attempts
     * @param maxBackoff longest pause
     * @param jitter random share of each pause, [0, 1)
     * @param failoverCooldown how long a failed endpoint goes to the back of the order
     */
    public RpcClient(List<URI> urls, long expectedChainId, Duration callTimeout, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, double jitter, Duration failoverCooldown) {
        this(urls, expectedChainId, callTimeout, maxAttempts, initialBackoff, maxBackoff, jitter, failoverCooldown,
                RpcCallObserver.NONE);
    }

    /** As the other constructor, telling {@code observer} of every request to an endpoint (metrics). */
    public RpcClient(List<URI> urls, long expectedChainId, Duration callTimeout, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, double jitter, Duration failoverCooldown, RpcCallObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
        // HTTP/1.1: JSON-RPC nodes speak it, and the JDK's h2c upgrade attempt on plain http only costs a round trip.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(callTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            list.add(new Endpoint(i, new JdkHttpService(http, urls.get(i), callTimeout)));
        }
        this.endpoints = List.copyOf(list);
        this.expectedChainId = expectedChainId;
        this.cooldownNanos = failoverCooldown.toNanos();
        this.maxAttempts = maxAttempts;
        RetryPolicyBuilder<Object> retry = RetryPolicy.builder()
                .handle(TransportException.class)
                .abortIf((result, failure) -> failure instanceof TransportException t && !t.retryable())
                .withMaxAttempts(maxAttempts)
                .withBackoff(initialBackoff, maxBackoff)
                .onRetry(event -> LOG.log(Level.DEBUG, "RPC attempt {0,number,#} failed, retrying: {1}", event.getAttemptCount(),
                        event.getLastException() == null ? "" : event.getLastException().getMessage()));
        if (jitter > 0) {
            retry.withJitter(jitter);
        }
        this.retryPolicy = retry.build();
    }

    /**
     * Calls {@code method} with failover and retries.
     *
     * @return the successful response (never one with an error)
     * @throws JsonRpcErrorException when a node answered with an error about the request
     * @throws ChainUnavailableException when no endpoint answered in any attempt
     */
    public <T extends Response<?>> T send(String method, List<?> params, Class<T> type) {
        try {
            return Failsafe.with(retryPolicy).get(() -> attempt(method, params, type));
        } catch (TransportException e) {
            throw new ChainUnavailableException(method + ": no RPC endpoint answered"
                    + (e.retryable() ? " in " + maxAttempts + " attempt(s)" : " (not retried: HTTP 4xx from every endpoint)")
                    + ": " + e.getMessage(), e);
        } catch (Interrupted e) {
            throw new ChainUnavailableException(method + ": interrupted", e.getCause());
        } catch (FailsafeException e) {
            // Failsafe wraps the InterruptedException of a backoff sleep.
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ChainUnavailableException(method + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asks every endpoint once for its chain id.
     *
     * @return how many endpoints answered with the expected chain id
     * @throws IllegalStateException naming each endpoint (redacted) that serves another chain
     * @throws ChainUnavailableException when none answered
     */
    public int verifyChainIds() {
        List<String> wrong = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        int verified = 0;
        for (Endpoint endpoint : endpoints) {
            try {
                if (checkChain(endpoint)) {
                    verified++;
                } else {
                    wrong.add(endpoint.wrongChainReason());
                }
            } catch (IOException | ClientConnectionException e) {
                unreachable.add(endpoint.name() + ": " + TransportErrors.describe(e));
                LOG.log(Level.WARNING, "RPC endpoint {0} did not answer eth_chainId at start: {1}; it is checked again before"
                        + " its first use", endpoint.name(), TransportErrors.describe(e));
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", wrong));
        }
        if (verified == 0) {
            throw new ChainUnavailableException("eth_chainId: no RPC endpoint answered: " + String.join("; ", unreachable));
        }
        return verified;
    }

    /** The endpoint that answered last, redacted; empty before any answer. */
    public String lastEndpoint() {
        Endpoint last = lastAnswered.get();
        return last == null ? "" : last.name();
    }

    private <T extends Response<?>> T attempt(String method, List<?> params, Class<T> type) {
        long now = System.nanoTime();
        List<String> failures = new ArrayList<>();
        Throwable lastFailure = null;
        boolean retryable = false;
        for (Endpoint endpoint : order(now)) {
            try {
                if (endpoint.chainCheck() == Endpoint.ChainCheck.UNCHECKED && !checkChain(endpoint)) {
                    failures.add(endpoint.wrongChainReason());
                    continue;
                }
                T response = timed(endpoint, method, () -> new Request<>(method, params, endpoint.service, type).send());
                if (response.hasError()) {
                    Response.Error error = response.getError();
                    if (TransportErrors.isTransientRpcError(error.getCode(), error.getMessage())) {
                        retryable = true;
                        endpoint.failed(now, cooldownNanos);
                        failures.add(endpoint.name() + ": " + error.getMessage());
                        LOG.log(Level.WARNING, "RPC endpoint {0} is overloaded on {1} ({2}); failing over", endpoint.name(),
                                method, error.getMessage());
                        continue;
                    }
                    endpoint.succeeded();
                    lastAnswered.set(endpoint);
                    throw new JsonRpcErrorException(method, error.getCode(), error.getMessage(), error.getData());
                }
                endpoint.succeeded();
                lastAnswered.set(endpoint);
                return response;
            } catch (InterruptedIOException e) {
                throw new Interrupted(e);
            } catch (IOException | ClientConnectionException e) {
                // ClientConnectionException: web3j's own wrapper for transport trouble, kept in case a web3j code path throws it.
                endpoint.failed(now, cooldownNanos);
                lastFailure = e;
                retryable |= !(e instanceof HttpStatusException status) || status.isTransient();
                failures.add(endpoint.name() + ": " + TransportErrors.describe(e));
                LOG.log(Level.WARNING, "RPC endpoint {0} failed on {1}: {2}; failing over", endpoint.name(), method,
                        TransportErrors.describe(e));
            }
        }
        if (failures.isEmpty()) {
            failures.add("no usable endpoint");
        }
        throw new TransportException(String.join("; ", failures), lastFailure, retryable);
    }

    /** Healthy endpoints in configured order, then the cooling ones in configured order; never the wrong-chain ones. */
    private List<Endpoint> order(long now) {
        List<Endpoint> healthy = new ArrayList<>();
        List<Endpoint> cooling = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.chainCheck() == Endpoint.ChainCheck.WRONG_CHAIN) {
                continue;
            }
            (endpoint.coolingDown(now) ? cooling : healthy).add(endpoint);
        }
        healthy.addAll(cooling);
        return healthy;
    }

    /** @return true when the endpoint serves the expected chain; false (and marked) when it serves another */
    private boolean checkChain(Endpoint endpoint) throws IOException {
        EthChainId response = timed(endpoint, "eth_chainId",
                () -> new Request<>("eth_chainId", List.of(), endpoint.service, EthChainId.class).send());
        if (response.hasError()) {
            if (TransportErrors.isTransientRpcError(response.getError().getCode(), response.getError().getMessage())) {
                throw new IOException("eth_chainId: " + response.getError().getMessage());
            }
            endpoint.wrongChain(endpoint.name() + " refused eth_chainId: " + response.getError().getMessage());
            return false;
        }
        BigInteger actual = response.getChainId();
        if (!BigInteger.valueOf(expectedChainId).equals(actual)) {
            String reason = "RPC endpoint " + endpoint.name() + " serves chain id " + actual + " but chain id "
                    + expectedChainId + " is configured (CHAIN_ID)";
            endpoint.wrongChain(reason);
            LOG.log(Level.ERROR, "{0}; this endpoint will not be used", reason);
            return false;
        }
        endpoint.verified();
        return true;
    }

    @Override
    public void close() {
        http.close();
    }

    /** One request to one endpoint, told to the observer with its outcome and latency. */
    private <T extends Response<?>> T timed(Endpoint endpoint, String method, IoCall<T> call) throws IOException {
        long start = System.nanoTime();
        RpcCallObserver.Outcome outcome = RpcCallObserver.Outcome.TRANSPORT;
        try {
            T response = call.send();
            outcome = response.hasError() ? RpcCallObserver.Outcome.ERROR : RpcCallObserver.Outcome.OK;
            return response;
        } finally {
            try {
                observer.called(endpoint.name(), method, outcome, Duration.ofNanos(System.nanoTime() - start));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "RPC call observer failed (ignored): {0}", String.valueOf(e));
            }
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T send() throws IOException;
    }

    /** Interruption: ends the call without retrying. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(InterruptedIOException cause) {
            super(cause);
        }
    }
}
