package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.InvalidArgumentException;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookEventType;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.in.DeleteWebhookUseCase;
import dev.basenft.core.port.in.DeleteWebhookUseCase.DeleteWebhookCommand;
import dev.basenft.core.port.in.ReadWebhooksQuery;
import dev.basenft.core.port.in.ReadWebhooksQuery.DeliveriesQuery;
import dev.basenft.core.port.in.RegisterWebhookUseCase;
import dev.basenft.core.port.in.RegisterWebhookUseCase.RegisterWebhookCommand;
import dev.basenft.core.port.in.TestWebhookUseCase;
import dev.basenft.core.port.in.TestWebhookUseCase.TestWebhookCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The {@code /api/webhooks} routes (docs/architecture.md#webhooks) as plain methods over core's webhook use cases. The
 * secret is in the answer to the registration only (and to a replay of it under the same {@code Idempotency-Key}); no
 * other answer has it. Thread-safe.
 */
public final class WebhookEndpoints {

    private static final List<String> FIELDS = List.of("url", "events", "campaignId");

    private final RegisterWebhookUseCase register;
    private final ReadWebhooksQuery read;
    private final DeleteWebhookUseCase delete;
    private final TestWebhookUseCase test;

    /** Every argument is required. */
    public WebhookEndpoints(RegisterWebhookUseCase register, ReadWebhooksQuery read, DeleteWebhookUseCase delete,
            TestWebhookUseCase test) {
        this.register = Objects.requireNonNull(register, "register");
        this.read = Objects.requireNonNull(read, "read");
        this.delete = Objects.requireNonNull(delete, "delete");
        this.test = Objects.requireNonNull(test, "test");
    }

    /** The body of {@code POST /api/webhooks}. */
    public record RegisterWebhookRequest(String url, List<String> events, String campaignId) {
    }

    /** A webhook as listed: never its secret. */
    public record WebhookView(String id, String url, List<String> events, String campaignId, String createdAt) {
    }

    /** The answer to a registration: the one time the secret is shown. */
    public record RegisteredView(String id, String url, List<String> events, String campaignId, String createdAt,
            String secret) {
    }

    /** One line of the delivery log. */
    public record AttemptView(long sequence, String eventId, String type, int attempt, Integer statusCode, String error,
            long durationMs, String at, String outcome) {
    }

    /** {@code POST /api/webhooks}: 201 with the webhook and its secret. */
    public ApiResponse register(Fid caller, MediaType type, RequestBody body) {
        type.require(List.of("application/json"));
        RegisterWebhookRequest request = Json.read(body.bytes(), RegisterWebhookRequest.class);
        Optional<CampaignId> campaign;
        try {
            campaign = Optional.ofNullable(request.campaignId()).map(CampaignId::parse);
        } catch (IllegalArgumentException e) {
            throw field("campaignId", "campaignId must be a campaign id (a UUID)");
        }
        if (request.events() != null && request.events().stream().anyMatch(Objects::isNull)) {
            throw field("events", "events must not hold null");
        }
        Webhook webhook;
        try {
            webhook = register.register(new RegisterWebhookCommand(caller, request.url(), request.events(), campaign));
        } catch (InvalidArgumentException e) {
            if (FIELDS.contains(e.argument())) {
                throw field(e.argument(), e.getMessage());
            }
            throw e;
        }
        WebhookView view = view(webhook);
        return ApiResponse.json(201, new RegisteredView(view.id(), view.url(), view.events(), view.campaignId(),
                view.createdAt(), webhook.secret())).withHeader("Location", "/api/webhooks/" + webhook.id());
    }

    /** {@code GET /api/webhooks}: the caller's webhooks, without secrets. */
    public ApiResponse list(Fid caller) {
        return ApiResponse.json(200, new Views.Page<>(read.webhooks(caller).stream().map(WebhookEndpoints::view).toList(),
                null));
    }

    /** {@code DELETE /api/webhooks/{id}}: 204. */
    public ApiResponse delete(Fid caller, String id) {
        delete.delete(new DeleteWebhookCommand(caller, webhookId(id)));
        return new ApiResponse(204, new byte[0], ApiResponse.JSON, Map.of());
    }

    /** {@code POST /api/webhooks/{id}/test}: 202 with the test event's id. */
    public ApiResponse test(Fid caller, String id, RequestBody body) {
        WebhookId webhookId = webhookId(id);
        byte[] bytes = body.bytes();
        if (!new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            Json.read(bytes, CampaignEndpoints.NoFields.class);
        }
        UUID event = test.test(new TestWebhookCommand(caller, webhookId));
        return ApiResponse.json(202, Map.of("eventId", event.toString()));
    }

    /** {@code GET /api/webhooks/{id}/deliveries?cursor=&limit=}: the delivery log, newest first. */
    public ApiResponse deliveries(Fid caller, String id, UnaryOperator<String> query) {
        WebhookId webhookId = webhookId(id);
        int limit = CampaignEndpoints.limit(query.apply("limit"));
        Optional<Long> before = Cursors.attemptBefore(query.apply("cursor"));
        List<WebhookAttempt> rows = read.deliveries(new DeliveriesQuery(caller, webhookId, before, limit + 1));
        List<WebhookAttempt> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? Cursors.attempt(page.get(page.size() - 1).sequence()) : null;
        return ApiResponse.json(200, new Views.Page<>(page.stream().map(WebhookEndpoints::view).toList(), next));
    }

    private static WebhookView view(Webhook w) {
        return new WebhookView(w.id().toString(), w.url().toString(),
                w.events().stream().map(WebhookEventType::wireName).sorted().toList(),
                w.campaignId().map(CampaignId::toString).orElse(null), w.createdAt().toString());
    }

    private static AttemptView view(WebhookAttempt a) {
        return new AttemptView(a.sequence(), a.eventId().toString(), a.type().wireName(), a.attempt(),
                a.statusCode().orElse(null), a.error().orElse(null), a.duration().toMillis(), a.at().toString(),
                a.outcome().name());
    }

    private static WebhookId webhookId(String id) {
        try {
            return WebhookId.parse(id);
        } catch (IllegalArgumentException e) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the webhook id in the path must be a UUID",
                    List.of(Problem.Error.field("id", "must be a UUID"))).exception();
        }
    }

    private static ProblemException field(String name, String message) {
        return Problem.of(Problem.Kind.BAD_REQUEST, message, List.of(Problem.Error.field(name, message))).exception();
    }
}
