package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.adapter.http.javalin.AuthenticationException;
import dev.basenft.adapter.http.javalin.AuthenticationUnavailableException;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.WebhookNotFoundException;
import dev.basenft.core.port.in.CampaignNotReadyException;
import dev.basenft.core.port.in.CampaignStateConflictException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.UUID;

/**
 * Turns every failure into a problem response, so no route answers with a stack trace or an HTML error page: our own
 * problems as they are; authentication 401/503; an unreachable chain 503; core's not-found 404, not-ready 409 and state conflicts 409 (a type per state); body over the limit 413; anything
 * else 500 with a reference that finds the logged stack trace. Stateless.
 */
public final class ErrorMapping {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http");

    private ErrorMapping() {
    }

    /** The response for {@code failure}; logs unexpected ones. */
    public static ApiResponse toResponse(Throwable failure) {
        return ApiResponse.problem(problem(failure));
    }

    /** The problem for {@code failure}. */
    public static Problem problem(Throwable failure) {
        return switch (failure) {
            case ProblemException p -> p.problem();
            case RequestBody.BodyTooLargeException tooLarge -> Problem.of(Problem.Kind.PAYLOAD_TOO_LARGE,
                    "the request body is larger than this route's limit of " + tooLarge.limit() + " bytes")
                    .with("limit", tooLarge.limit());
            case AuthenticationException auth -> Problem.of(Problem.Kind.UNAUTHENTICATED, auth.getMessage())
                    .withHeader("WWW-Authenticate", "Bearer");
            // Already logged as "Verification error: …" where it happened; not the caller's fault, so 503.
            case AuthenticationUnavailableException unavailable -> Problem.of(Problem.Kind.AUTH_UNAVAILABLE,
                    "tokens cannot be verified right now (the Quick Auth keys could not be fetched); try again shortly")
                    .withHeader("Retry-After", "5");
            // No RPC endpoint answered (attach reads the deploy receipt, deploy-transaction may predict an address): the
            // chain's outage, not the caller's mistake and not our bug, so 503 and a retry rather than 500.
            case ChainUnavailableException chain -> Problem.of(Problem.Kind.CHAIN_UNAVAILABLE,
                    "the chain cannot be reached right now (" + chain.getMessage() + "); try again shortly")
                    .withHeader("Retry-After", "10");
            case CampaignNotFoundException notFound -> Problem.of(Problem.Kind.NOT_FOUND, notFound.getMessage());
            case WebhookNotFoundException notFound -> Problem.of(Problem.Kind.NOT_FOUND, notFound.getMessage());
            case CampaignNotReadyException notReady -> Problem.of(Problem.Kind.NOT_READY, notReady.getMessage());
            case CampaignStateConflictException state -> Problem.of(stateKind(state.status()), state.getMessage())
                    .with("campaignStatus", state.status().name()).with("action", state.action());
            case RequestBody.UnreadableBodyException unreadable -> Problem.of(Problem.Kind.BAD_REQUEST,
                    unreadable.getMessage());
            default -> unexpected(failure);
        };
    }

    /** The problem type naming the campaign's state, so a client can branch on it. */
    private static Problem.Kind stateKind(CampaignStatus status) {
        return switch (status) {
            case DRAFT -> Problem.Kind.CAMPAIGN_DRAFT;
            case PROCESSING -> Problem.Kind.CAMPAIGN_PROCESSING;
            case COMPLETED -> Problem.Kind.CAMPAIGN_COMPLETED;
            case FAILED -> Problem.Kind.CAMPAIGN_FAILED;
            case PAUSED -> Problem.Kind.CAMPAIGN_PAUSED;
            case CANCELLED -> Problem.Kind.CAMPAIGN_CANCELLED;
        };
    }

    private static Problem unexpected(Throwable failure) {
        String reference = UUID.randomUUID().toString();
        LOG.log(Level.ERROR, "Unexpected error answering a request (reference " + reference + ")", failure);
        return Problem.of(Problem.Kind.INTERNAL, "an unexpected error occurred; the server log has the details under "
                + "reference " + reference, List.of()).with("reference", reference);
    }
}
