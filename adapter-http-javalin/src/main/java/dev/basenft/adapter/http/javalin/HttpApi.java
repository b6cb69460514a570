package dev.basenft.adapter.http.javalin;

import static dev.basenft.adapter.http.javalin.RouteHandlers.mediaType;

import dev.basenft.adapter.http.javalin.internal.ApiResponse;
import dev.basenft.adapter.http.javalin.internal.CampaignEndpoints;
import dev.basenft.adapter.http.javalin.internal.CampaignEvents;
import dev.basenft.adapter.http.javalin.internal.ControlEndpoints;
import dev.basenft.adapter.http.javalin.internal.ConsoleAssets;
import dev.basenft.adapter.http.javalin.internal.HttpMetrics;
import dev.basenft.adapter.http.javalin.internal.Idempotency;
import dev.basenft.adapter.http.javalin.internal.Readiness;
import dev.basenft.adapter.http.javalin.internal.WebhookEndpoints;
import dev.basenft.core.port.in.AddRecipientsUseCase;
import dev.basenft.core.port.in.AttachContractUseCase;
import dev.basenft.core.port.in.CancelDistributionUseCase;
import dev.basenft.core.port.in.CreateCampaignUseCase;
import dev.basenft.core.port.in.DeleteWebhookUseCase;
import dev.basenft.core.port.in.EstimateCostQuery;
import dev.basenft.core.port.in.PauseDistributionUseCase;
import dev.basenft.core.port.in.PrepareDeployUseCase;
import dev.basenft.core.port.in.ReadStatusQuery;
import dev.basenft.core.port.in.RemoveRecipientsUseCase;
import dev.basenft.core.port.in.ResumeDistributionUseCase;
import dev.basenft.core.port.in.ReadWebhooksQuery;
import dev.basenft.core.port.in.RegisterWebhookUseCase;
import dev.basenft.core.port.in.RetryFailedUseCase;
import dev.basenft.core.port.in.StartDistributionUseCase;
import dev.basenft.core.port.in.TestWebhookUseCase;
import dev.basenft.core.port.out.IdempotencyRecords;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The REST API (docs/architecture.md#http-api) on Javalin: the {@code /api} routes (authenticated by an {@link
 * Authenticator}), {@code /health}, {@code /health/ready}, {@code /metrics} and {@code /openapi.json}; and the web
 * console: its page at {@code /}, its files under {@code /console/}, the Farcaster mini app manifest, and a campaign's
 * live progress as Server-Sent Events.
 *
 * <p>Every answer is JSON; every failure an RFC 9457 {@code application/problem+json} document. Every {@code POST}
 * needs an {@code Idempotency-Key} (layer 1 of docs/architecture.md#exactly-once). Request bodies are read through a
 * limit (413 beyond it).
 *
 * <p>Build with {@link #builder()}, then {@link #start()}; {@link #stop()} when done. Thread-safe: requests are served
 * concurrently; {@code start}/{@code stop} are meant to be called once each, from one thread.
 */
public final class HttpApi {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http");

    private final HttpSettings settings;
    private final CampaignEndpoints endpoints;
    private final ControlEndpoints control;
    private final WebhookEndpoints webhooks;
    private final RouteHandlers handlers;
    private final Readiness readiness;
    private final HttpMetrics metrics;
    private final byte[] openApi;
    private final ConsoleRoutes console;
    private final CampaignEvents events;
    private final EventStreamRoute eventStream;
    private final RecipientExportRoute export;
    private final EstimateCostQuery estimateCost;
    private final List<String> routes = new ArrayList<>();
    private final Javalin app;

    private HttpApi(Builder b) {
        this.settings = b.settings;
        this.endpoints = new CampaignEndpoints(b.createCampaign, b.addRecipients, b.prepareDeploy, b.attachContract,
                b.startDistribution, b.retryFailed, b.readStatus);
        this.control = new ControlEndpoints(b.pauseDistribution, b.resumeDistribution, b.cancelDistribution,
                b.removeRecipients);
        this.webhooks = new WebhookEndpoints(b.registerWebhook, b.readWebhooks, b.deleteWebhook, b.testWebhook);
        this.handlers = new RouteHandlers(b.authenticator, new Idempotency(b.idempotencyRecords, b.clock));
        this.readiness = new Readiness(b.readinessChecks, settings.readinessTimeout());
        this.metrics = new HttpMetrics(b.meterRegistry != null ? b.meterRegistry
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        this.openApi = ServerPlumbing.readOpenApi();
        this.console = new ConsoleRoutes(new ConsoleAssets(b.console));
        this.events = CampaignEvents.withDefaults(b.readStatus);
        this.eventStream = new EventStreamRoute(b.authenticator, endpoints, events);
        this.export = new RecipientExportRoute(b.authenticator, endpoints, b.readStatus);
        this.estimateCost = b.estimateCost;
        this.app = Javalin.create(this::configure);
    }

    /** A builder; every use case, the idempotency records and the authenticator are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening on {@link HttpSettings#host()}:{@link HttpSettings#port()}.
     *
     * @return this
     */
    public HttpApi start() {
        app.start(settings.host(), settings.port());
        LOG.log(System.Logger.Level.INFO, "HTTP API listening on {0}:{1}", settings.host(), Integer.toString(port()));
        return this;
    }

    /** Stops the server; requests in flight are finished first (Jetty's graceful stop), event streams are ended. */
    public void stop() {
        events.close();
        app.stop();
    }

    /** The port listened on: the configured one, or the one picked when it was 0. Valid after {@link #start()}. */
    public int port() {
        return app.port();
    }

    /** Every registered route as {@code METHOD /path/{param}}, in registration order; for the OpenAPI test. */
    List<String> registeredRoutes() {
        synchronized (routes) {
            return List.copyOf(routes);
        }
    }

    /** The route table; everything around it is {@link ServerPlumbing}'s. */
    private void configure(JavalinConfig config) {
        ServerPlumbing.configure(config, settings, metrics);
        config.events.handlerAdded(meta -> {
            if (meta.getHttpMethod().isHttpMethod()) {
                synchronized (routes) {
                    routes.add(meta.getHttpMethod().name() + " " + meta.getPath());
                }
            }
        });
        RouteHandlers h = handlers;
        long json = settings.maxJsonBodyBytes();

        config.routes.get("/health", RouteHandlers.open(ctx -> ApiResponse.json(200, Map.of("status", "UP"))));
        config.routes.get("/health/ready", RouteHandlers.open(ctx -> readiness.run()));
        config.routes.get("/metrics", ctx -> ctx.contentType(HttpMetrics.PROMETHEUS_TEXT).result(metrics.scrape()));
        config.routes.get("/openapi.json", ctx -> ctx.contentType(ApiResponse.JSON).result(openApi));
        config.routes.get("/", console::page);
        config.routes.get("/console/{file}", console::file);
        config.routes.get("/.well-known/farcaster.json", console::miniAppManifest);

        config.routes.get("/api/me", h.authed((ctx, caller) -> endpoints.me(caller)));
        config.routes.post("/api/campaigns", h.authedPost(json,
                (ctx, caller, body) -> endpoints.create(caller, mediaType(ctx), body)));
        config.routes.get("/api/campaigns", h.authed((ctx, caller) -> endpoints.list(caller, ctx::queryParam)));
        config.routes.get("/api/campaigns/{id}", h.authed((ctx, caller) -> endpoints.get(caller, ctx.pathParam("id"))));
        config.routes.get("/api/campaigns/{id}/deploy-transaction",
                h.authed((ctx, caller) -> endpoints.deployTransaction(caller, ctx.pathParam("id"), ctx::queryParam)));
        config.routes.post("/api/campaigns/{id}/contract", h.authedPost(json,
                (ctx, caller, body) -> endpoints.attach(caller, ctx.pathParam("id"), mediaType(ctx), body)));
        config.routes.post("/api/campaigns/{id}/recipients", h.authedPost(settings.maxUploadBytes(),
                (ctx, caller, body) -> endpoints.addRecipients(caller, ctx.pathParam("id"), mediaType(ctx), body)));
        config.routes.get("/api/campaigns/{id}/recipients",
                h.authed((ctx, caller) -> endpoints.recipients(caller, ctx.pathParam("id"), ctx::queryParam)));
        config.routes.post("/api/campaigns/{id}/distribute", h.authedPost(json,
                (ctx, caller, body) -> endpoints.distribute(caller, ctx.pathParam("id"), body)));
        config.routes.post("/api/campaigns/{id}/retry", h.authedPost(json,
                (ctx, caller, body) -> endpoints.retry(caller, ctx.pathParam("id"), body)));
        config.routes.post("/api/campaigns/{id}/pause", h.authedPost(json,
                (ctx, caller, body) -> control.pause(caller, ctx.pathParam("id"), body)));
        config.routes.post("/api/campaigns/{id}/resume", h.authedPost(json,
                (ctx, caller, body) -> control.resume(caller, ctx.pathParam("id"), body)));
        config.routes.post("/api/campaigns/{id}/cancel", h.authedPost(json,
                (ctx, caller, body) -> control.cancel(caller, ctx.pathParam("id"), body)));
        config.routes.post("/api/campaigns/{id}/recipients/remove", h.authedPost(json,
                (ctx, caller, body) -> control.removeMany(caller, ctx.pathParam("id"), mediaType(ctx), body)));
        config.routes.delete("/api/campaigns/{id}/recipients/{address}", h.authed(
                (ctx, caller) -> control.removeOne(caller, ctx.pathParam("id"), ctx.pathParam("address"))));
        config.routes.get("/api/campaigns/{id}/distributions",
                h.authed((ctx, caller) -> endpoints.distributions(caller, ctx.pathParam("id"), ctx::queryParam)));
        config.routes.get("/api/campaigns/{id}/recipients.csv", export::handle);
        config.routes.get("/api/campaigns/{id}/estimate",
                h.authed((ctx, caller) -> endpoints.estimate(caller, ctx.pathParam("id"), estimateCost)));
        config.routes.get("/api/campaigns/{id}/events", eventStream::handle);

        config.routes.post("/api/webhooks", h.authedPost(json,
                (ctx, caller, body) -> webhooks.register(caller, mediaType(ctx), body)));
        config.routes.get("/api/webhooks", h.authed((ctx, caller) -> webhooks.list(caller)));
        config.routes.delete("/api/webhooks/{id}", h.authed((ctx, caller) -> webhooks.delete(caller, ctx.pathParam("id"))));
        config.routes.get("/api/webhooks/{id}/deliveries",
                h.authed((ctx, caller) -> webhooks.deliveries(caller, ctx.pathParam("id"), ctx::queryParam)));
        config.routes.post("/api/webhooks/{id}/test", h.authedPost(json,
                (ctx, caller, body) -> webhooks.test(caller, ctx.pathParam("id"), body)));
    }

    /** Builds an {@link HttpApi}. Not thread-safe. */
    public static final class Builder {
        private CreateCampaignUseCase createCampaign;
        private AddRecipientsUseCase addRecipients;
        private AttachContractUseCase attachContract;
        private StartDistributionUseCase startDistribution;
        private RetryFailedUseCase retryFailed;
        private ReadStatusQuery readStatus;
        private PauseDistributionUseCase pauseDistribution;
        private ResumeDistributionUseCase resumeDistribution;
        private CancelDistributionUseCase cancelDistribution;
        private RemoveRecipientsUseCase removeRecipients;
        private RegisterWebhookUseCase registerWebhook;
        private ReadWebhooksQuery readWebhooks;
        private DeleteWebhookUseCase deleteWebhook;
        private TestWebhookUseCase testWebhook;
        private PrepareDeployUseCase prepareDeploy;
        private EstimateCostQuery estimateCost;
        private IdempotencyRecords idempotencyRecords;
        private Authenticator authenticator;
        private HttpSettings settings = HttpSettings.defaults();
        private final List<ReadinessCheck> readinessChecks = new ArrayList<>();
        private PrometheusMeterRegistry meterRegistry;
        private InstantSource clock = InstantSource.system();
        private ConsoleSettings console = ConsoleSettings.defaults();

        private Builder() {
        }

        /** Sets all seven campaign use cases from one implementation (core's {@code CampaignService}). */
        public <T extends CreateCampaignUseCase & AddRecipientsUseCase & PrepareDeployUseCase & AttachContractUseCase
                & StartDistributionUseCase & RetryFailedUseCase & ReadStatusQuery> Builder useCases(T all) {
            Objects.requireNonNull(all, "all");
            return createCampaign(all).addRecipients(all).prepareDeploy(all).attachContract(all).startDistribution(all)
                    .retryFailed(all).readStatus(all);
        }

        /** Sets the four distribution controls from one implementation (core's {@code DistributionControl}). */
        public <T extends PauseDistributionUseCase & ResumeDistributionUseCase & CancelDistributionUseCase
                & RemoveRecipientsUseCase> Builder controls(T all) {
            Objects.requireNonNull(all, "all");
            pauseDistribution = all;
            resumeDistribution = all;
            cancelDistribution = all;
            removeRecipients = all;
            return this;
        }

        /** Sets the four webhook use cases from one implementation (core's {@code WebhookService}). */
        public <T extends RegisterWebhookUseCase & ReadWebhooksQuery & DeleteWebhookUseCase & TestWebhookUseCase>
                Builder webhooks(T all) {
            Objects.requireNonNull(all, "all");
            registerWebhook = all;
            readWebhooks = all;
            deleteWebhook = all;
            testWebhook = all;
            return this;
        }

        public Builder createCampaign(CreateCampaignUseCase v) {
            createCampaign = v;
            return this;
        }

        public Builder addRecipients(AddRecipientsUseCase v) {
            addRecipients = v;
            return this;
        }

        /** For {@code GET /api/campaigns/{id}/deploy-transaction}. */
        public Builder prepareDeploy(PrepareDeployUseCase v) {
            prepareDeploy = v;
            return this;
        }

        /** For {@code GET /api/campaigns/{id}/estimate}: it reads the chain, so it is not one of core's use cases. */
        public Builder estimateCost(EstimateCostQuery v) {
            estimateCost = v;
            return this;
        }

        public Builder attachContract(AttachContractUseCase v) {
            attachContract = v;
            return this;
        }

        public Builder startDistribution(StartDistributionUseCase v) {
            startDistribution = v;
            return this;
        }

        public Builder retryFailed(RetryFailedUseCase v) {
            retryFailed = v;
            return this;
        }

        public Builder readStatus(ReadStatusQuery v) {
            readStatus = v;
            return this;
        }

        /** Where POST responses are kept for {@code Idempotency-Key} replays. */
        public Builder idempotencyRecords(IdempotencyRecords v) {
            idempotencyRecords = v;
            return this;
        }

        public Builder authenticator(Authenticator v) {
            authenticator = v;
            return this;
        }

        /** Defaults to {@link HttpSettings#defaults()}. */
        public Builder settings(HttpSettings v) {
            settings = v;
            return this;
        }

        /** Adds a named check to {@code /health/ready}. */
        public Builder readinessCheck(ReadinessCheck v) {
            readinessChecks.add(Objects.requireNonNull(v, "readinessCheck"));
            return this;
        }

        /** The registry {@code /metrics} scrapes; the application may register its own meters in it. Defaults to a new one. */
        public Builder meterRegistry(PrometheusMeterRegistry v) {
            meterRegistry = v;
            return this;
        }

        /** What the web console shows and offers for this deployment. Defaults to {@link ConsoleSettings#defaults()}. */
        public Builder console(ConsoleSettings v) {
            console = v;
            return this;
        }

        /** Stamps stored idempotent responses. Defaults to the system clock. */
        public Builder clock(InstantSource v) {
            clock = v;
            return this;
        }

        /**
         * Builds the API (routes registered, not yet listening).
         *
         * @throws IllegalArgumentException naming every missing part
         */
        public HttpApi build() {
            List<String> missing = new ArrayList<>();
            Map<String, Object> required = new LinkedHashMap<>();
            required.put("createCampaign", createCampaign);
            required.put("addRecipients", addRecipients);
            required.put("prepareDeploy", prepareDeploy);
            required.put("attachContract", attachContract);
            required.put("startDistribution", startDistribution);
            required.put("retryFailed", retryFailed);
            required.put("readStatus", readStatus);
            required.put("pauseDistribution", pauseDistribution);
            required.put("resumeDistribution", resumeDistribution);
            required.put("cancelDistribution", cancelDistribution);
            required.put("removeRecipients", removeRecipients);
            required.put("estimateCost", estimateCost);
            required.put("webhooks", registerWebhook);
            required.put("idempotencyRecords", idempotencyRecords);
            required.put("authenticator", authenticator);
            required.put("settings", settings);
            required.put("clock", clock);
            required.put("console", console);
            required.forEach((name, value) -> {
                if (value == null) {
                    missing.add(name);
                }
            });
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("HttpApi needs " + String.join(", ", missing));
            }
            return new HttpApi(this);
        }
    }
}
