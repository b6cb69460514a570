package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.adapter.http.javalin.AuthenticationUnavailableException;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Quick Auth signing keys, fetched lazily from the JWKS URL and cached the way jose's remote JWKS does it (see
 * docs/architecture.md#authentication): cached for {@link #MAX_AGE}; after a token names a key the cache lacks,
 * refetched once unless the last successful fetch is younger than {@link #COOLDOWN}; concurrent callers share one
 * in-flight fetch; each fetch times out after {@link #TIMEOUT}.
 *
 * <p>Thread-safe. Time comes from the injected {@link InstantSource}, so tests can move the clock across the 30 s and 10 min
 * boundaries.
 */
public final class JwksCache {

    /** How long fetched keys are used before they are fetched again. */
    public static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** The least time between a fetch and a refetch caused by an unknown key. */
    public static final Duration COOLDOWN = Duration.ofSeconds(30);
    /** The time a JWKS fetch may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A JWKS is a few hundred bytes; anything this big is not one, and reading it would only cost memory. */
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    /** Reads the JWKS document. */
    @FunctionalInterface
    public interface Fetcher {
        /**
         * @return the response body of a 200 answer
         * @throws IOException on any transport failure, timeout or non-200 status
         */
        String fetch(URI uri, Duration timeout) throws IOException, InterruptedException;
    }

    /**
     * One fetched key set.
     *
     * @param keys the public signing keys; never null
     * @param fetchedAt when the fetch completed; never null
     */
    public record KeySet(List<PublicJwk<?>> keys, Instant fetchedAt) {
        public KeySet {
            keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
            Objects.requireNonNull(fetchedAt, "fetchedAt");
        }
    }

    private final URI uri;
    private final Fetcher fetcher;
    private final InstantSource clock;
    private final Object lock = new Object();
    private volatile KeySet current;
    /** The fetch in progress, shared by every caller that needs keys meanwhile; guarded by {@link #lock}. */
    private CompletableFuture<KeySet> inFlight;

    /**
     * @param uri the JWKS URL; never null
     * @param fetcher reads it; never null
     * @param clock for cache ages; never null
     */
    public JwksCache(URI uri, Fetcher fetcher, InstantSource clock) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A cache reading {@code uri} with the JDK HTTP client. */
    public static JwksCache overHttp(URI uri, InstantSource clock) {
        return new JwksCache(uri, httpFetcher(), clock);
    }

    /** The keys fetched last, without fetching; null before the first fetch. */
    public KeySet current() {
        return current;
    }

    /** The JWKS URL. */
    public URI uri() {
        return uri;
    }

    /**
     * The cached keys, fetched first when there are none yet or they are {@link #MAX_AGE} old.
     *
     * @throws AuthenticationUnavailableException when they must be fetched and cannot be
     */
    public KeySet keys() {
        KeySet seen = current;
        if (seen != null && clock.instant().isBefore(seen.fetchedAt().plus(MAX_AGE))) {
            return seen;
        }
        return reload();
    }

    /**
     * Called when no key in {@code seen} matched a token: refetches, unless the keys were fetched less than
     * {@link #COOLDOWN} ago (then an unknown {@code kid} cannot make us hammer the JWKS server).
     *
     * @param seen the key set that had no match; never null
     * @return newer keys (fetched now, or by another caller since {@code seen}); empty while cooling down
     * @throws AuthenticationUnavailableException when a refetch was due and failed
     */
    public Optional<KeySet> reloadAfterMiss(KeySet seen) {
        Objects.requireNonNull(seen, "seen");
        KeySet latest = current;
        if (latest != null && latest != seen && latest.fetchedAt().isAfter(seen.fetchedAt())) {
            return Optional.of(latest);
        }
        if (clock.instant().isBefore(seen.fetchedAt().plus(COOLDOWN))) {
            return Optional.empty();
        }
        return Optional.of(reload());
    }

    private KeySet reload() {
        CompletableFuture<KeySet> fetch;
        boolean mine = false;
        synchronized (lock) {
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                mine = true;
            }
            fetch = inFlight;
        }
        if (mine) {
            // The caller that started the fetch does it on its own thread; the others wait for its result.
            try {
                KeySet fetched = new KeySet(parse(fetchText()), clock.instant());
                current = fetched;
                fetch.complete(fetched);
            } catch (RuntimeException e) {
                fetch.completeExceptionally(e);
            } finally {
                synchronized (lock) {
                    inFlight = null;
                }
            }
        }
        try {
            return fetch.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AuthenticationUnavailableException unavailable) {
                throw unavailable;
            }
            throw new AuthenticationUnavailableException("could not fetch the Quick Auth JWKS from " + uri + ": "
                    + e.getCause(), e.getCause());
        }
    }

    private String fetchText() {
        try {
            return fetcher.fetch(uri, TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthenticationUnavailableException("interrupted while fetching the Quick Auth JWKS from " + uri, e);
        } catch (IOException | RuntimeException e) {
            throw new AuthenticationUnavailableException("could not fetch the Quick Auth JWKS from " + uri + ": "
                    + describe(e), e);
        }
    }

    private List<PublicJwk<?>> parse(String json) {
        JwkSet set;
        try {
            // ignoreUnsupported: a key type we cannot use (say a future algorithm) must not hide the keys we can.
            set = Jwks.setParser().ignoreUnsupported(true).build().parse(json);
        } catch (RuntimeException e) {
            throw new AuthenticationUnavailableException("the Quick Auth JWKS from " + uri + " is not a valid JWK set: "
                    + describe(e), e);
        }
        List<PublicJwk<?>> keys = new ArrayList<>();
        for (Jwk<?> jwk : set.getKeys()) {
            // Only public keys verify signatures; a private or secret key published by mistake is never used.
            if (jwk instanceof PublicJwk<?> publicJwk) {
                keys.add(publicJwk);
            }
        }
        return keys;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    private static Fetcher httpFetcher() {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return (uri, timeout) -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                    .build();
            // The request timeout only covers the headers; waiting on the whole exchange bounds a slow body as well.
            CompletableFuture<HttpResponse<byte[]>> exchange =
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> response;
            try {
                response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                exchange.cancel(true);
                throw new IOException("no answer within " + timeout.toSeconds() + " s", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            if (response.body().length > MAX_JWKS_BYTES) {
                throw new IOException("the JWKS is larger than " + MAX_JWKS_BYTES + " bytes");
            }
            return new String(response.body(), StandardCharsets.UTF_8);
        };
    }
}
