package dev.basenft.app.webhooks;

import dev.basenft.core.port.out.WebhookSender;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Core's {@link WebhookSender} on the JDK's {@link HttpClient}: HTTP/1.1, no redirects followed (a 3xx is an answer that
 * does not deliver), the response body discarded. Failures become {@link Sent.NoAnswer} with the exception's kind and
 * message; the request's headers (which carry the signature) are never logged. Thread-safe.
 */
public final class JdkWebhookSender implements WebhookSender {

    private final HttpClient client;

    /** @param connectTimeout how long connecting may take; never null */
    public JdkWebhookSender(Duration connectTimeout) {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public Sent post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "base-nft-webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Sent.Answered(response.statusCode());
        } catch (HttpTimeoutException e) {
            return new Sent.NoAnswer("timed out after " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return new Sent.NoAnswer("connection failed" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IOException e) {
            return new Sent.NoAnswer(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent.NoAnswer("interrupted (shutting down)");
        }
    }
}
