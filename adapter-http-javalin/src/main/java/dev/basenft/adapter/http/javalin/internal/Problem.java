package dev.basenft.adapter.http.javalin.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): {@code type}, {@code title}, {@code status}, a readable
 * {@code detail}, and, for validation failures, {@code errors} naming each field or line at fault.
 *
 * @param type a URN naming the kind of problem, stable for clients to branch on; never null
 * @param title short, fixed per type; never null
 * @param status the HTTP status
 * @param detail what went wrong this time, in words; never null
 * @param errors one entry per field or line at fault; never null (may be empty, then left out of the JSON)
 * @param extensions further members (counts, limits); never null
 * @param headers response headers that go with it (Retry-After, WWW-Authenticate); never null
 */
public record Problem(String type, String title, int status, String detail, List<Error> errors,
        Map<String, Object> extensions, Map<String, String> headers) {

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
        extensions = Map.copyOf(Objects.requireNonNull(extensions, "extensions"));
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx, got " + status);
        }
    }

    /** A problem of {@code kind} with no field errors. */
    public static Problem of(Kind kind, String detail) {
        return new Problem(kind.type(), kind.title, kind.status, detail, List.of(), Map.of(), Map.of());
    }

    /** A problem of {@code kind} listing the fields or lines at fault. */
    public static Problem of(Kind kind, String detail, List<Error> errors) {
        return new Problem(kind.type(), kind.title, kind.status, detail, errors, Map.of(), Map.of());
    }

    /** This problem with one more response header. */
    public Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(type, title, status, detail, errors, extensions, more);
    }

    /** This problem with one more extension member. */
    public Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, title, status, detail, errors, more, headers);
    }

    /** The problem as a thrown exception. */
    public ProblemException exception() {
        return new ProblemException(this);
    }

    /** The JSON document: the standard members, then the extensions. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        extensions.forEach(body::putIfAbsent);
        return body;
    }

    /**
     * One thing at fault.
     *
     * @param field the JSON field or query parameter, as a JSON Pointer for nested values ({@code /2/address}); may be null
     * @param line the 1-based CSV line or JSON array entry; may be null
     * @param detail what is wrong with it; never null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String field, Long line, String detail) {
        public Error {
            Objects.requireNonNull(detail, "detail");
        }

        public static Error field(String field, String detail) {
            return new Error(field, null, detail);
        }

        public static Error line(long line, String field, String detail) {
            return new Error(field, line, detail);
        }
    }

    /** The kinds of problem this API reports. */
    public enum Kind {
        BAD_REQUEST(400, "bad-request", "Bad request"),
        UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
        NOT_FOUND(404, "not-found", "Not found"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
        CONFLICT(409, "conflict", "Conflict"),
        NOT_READY(409, "not-ready", "Campaign not ready"),
        NOT_MINED(409, "not-mined", "Transaction not mined yet"),
        /** The deploy's event names another campaign: each collection belongs to the campaign it was deployed for. */
        COLLECTION_FOR_ANOTHER_CAMPAIGN(409, "collection-for-another-campaign", "Collection deployed for another campaign"),
        /** Another campaign already has this collection: one collection, one campaign. */
        COLLECTION_ALREADY_ATTACHED(409, "collection-already-attached", "Collection already attached"),
        /** The campaign already has a (different) collection. */
        CAMPAIGN_HAS_COLLECTION(409, "campaign-has-collection", "Campaign already has a collection"),
        /** Pause, resume, cancel, distribute or retry asked of a campaign in a state that refuses it; one per state. */
        CAMPAIGN_DRAFT(409, "campaign-draft", "Campaign is DRAFT"),
        CAMPAIGN_PROCESSING(409, "campaign-processing", "Campaign is PROCESSING"),
        CAMPAIGN_COMPLETED(409, "campaign-completed", "Campaign is COMPLETED"),
        CAMPAIGN_FAILED(409, "campaign-failed", "Campaign is FAILED"),
        CAMPAIGN_PAUSED(409, "campaign-paused", "Campaign is PAUSED"),
        CAMPAIGN_CANCELLED(409, "campaign-cancelled", "Campaign is CANCELLED"),
        /** A recipient to remove is planned into a batch (or minted) already. */
        RECIPIENTS_PLANNED(409, "recipients-planned", "Recipients already planned"),
        PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
        INVALID_RECIPIENTS(422, "invalid-recipients", "Invalid recipients"),
        REJECTED(422, "rejected", "Request rejected"),
        IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency key reused"),
        INTERNAL(500, "internal", "Internal error"),
        AUTH_UNAVAILABLE(503, "auth-unavailable", "Authentication unavailable"),
        CHAIN_UNAVAILABLE(503, "chain-unavailable", "Chain unreachable"),
        STREAMS_EXHAUSTED(503, "streams-exhausted", "Too many live streams");

        private final int status;
        private final String slug;
        private final String title;

        Kind(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }

        /** A URN, not a URL: nothing has to be hosted for it, and it stays stable. */
        public String type() {
            return "urn:base-nft:problem:" + slug;
        }
    }
}
