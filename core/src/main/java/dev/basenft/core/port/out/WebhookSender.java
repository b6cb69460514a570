package dev.basenft.core.port.out;

import dev.basenft.core.model.Require;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Posts one signed webhook body to a receiver. Implementations must be safe for concurrent use, must not follow redirects
 * (a receiver that moved must be registered again), and must never log the headers (they carry the signature).
 */
public interface WebhookSender {

    /**
     * POSTs {@code body} as {@code application/json} with {@code headers}, giving up after {@code timeout}.
     *
     * @return the receiver's answer or why there was none; never null, never throws for a receiver's fault
     */
    Sent post(URI url, Map<String, String> headers, byte[] body, Duration timeout);

    /** What came of one POST. */
    sealed interface Sent {

        /** The receiver answered with this status (any status; 2xx counts as delivered). */
        record Answered(int status) implements Sent {
        }

        /**
         * No answer: refused, reset, timed out, unknown host.
         *
         * @param reason readable, without secrets; never null
         */
        record NoAnswer(String reason) implements Sent {
            public NoAnswer {
                Require.notNull("reason", reason);
            }
        }
    }
}
