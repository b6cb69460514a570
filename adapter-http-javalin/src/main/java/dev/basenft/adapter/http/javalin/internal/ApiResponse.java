package dev.basenft.adapter.http.javalin.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A response ready to send: status, serialized body, media type and extra headers. Built before it is written, so an
 * idempotent POST can store exactly what it sent.
 *
 * @param status the HTTP status
 * @param body the serialized body; never null
 * @param contentType never null
 * @param headers extra response headers; never null
 */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {

    /** The media type of ordinary bodies. */
    public static final String JSON = "application/json";

    public ApiResponse {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /** A JSON response with {@code view} serialized. */
    public static ApiResponse json(int status, Object view) {
        return new ApiResponse(status, Json.write(view), JSON, Map.of());
    }

    /** The problem document of {@code problem}, with its headers. */
    public static ApiResponse problem(Problem problem) {
        return new ApiResponse(problem.status(), Json.write(problem.body()), Problem.MEDIA_TYPE, problem.headers());
    }

    /** This response with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, contentType, more);
    }

    /** The body as text (JSON is UTF-8). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
