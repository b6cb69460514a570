package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.ApiResponse;
import dev.basenft.adapter.http.javalin.internal.CampaignEndpoints;
import dev.basenft.adapter.http.javalin.internal.CampaignEvents;
import dev.basenft.adapter.http.javalin.internal.ConsoleAssets;
import dev.basenft.adapter.http.javalin.internal.ErrorMapping;
import dev.basenft.adapter.http.javalin.internal.HttpMetrics;
import dev.basenft.adapter.http.javalin.internal.Idempotency;
import dev.basenft.adapter.http.javalin.internal.Json;
import dev.basenft.adapter.http.javalin.internal.MediaType;
import dev.basenft.adapter.http.javalin.internal.Problem;
import dev.basenft.adapter.http.javalin.internal.Readiness;
import dev.basenft.adapter.http.javalin.internal.RequestBody;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.port.in.AddRecipientsUseCase;
import dev.basenft.core.port.in.AttachContractUseCase;
import dev.basenft.core.port.in.CreateCampaignUseCase;
import dev.basenft.core.port.in.PrepareDeployUseCase;
import dev.basenft.core.port.in.ReadStatusQuery;
import dev.basenft.core.port.in.RetryFailedUseCase;
import dev.basenft.core.port.in.StartDistributionUseCase;
import dev.basenft.core.port.out.IdempotencyRecords;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The REST API of SPEC §5 on Javalin: the {@code /api} routes (authenticated by an {@link Authenticator}), {@code /health},
 * {@code /health/ready}, {@code /metrics} and {@code /openapi.json}; and the web console: its page at {@code /}, its files
 * under {@code /console/}, the Farcaster mini app manifest, and a campaign's live progress as Server-Sent Events.
 *
 * <p>Every answer is JSON; every failure an RFC 9457 {@code application/problem+json} document. Every {@code POST} needs an
 * {@code Idempotency-Key} (SPEC §3 layer 1). Request bodies are read through a limit (413 beyond it).
 *
 * <p>Build with {@link #builder()}, then {@link #start()}; {@link #stop()} when done. Thread-safe: requests are served
 * concurrently; {@code start}/{@code stop} are meant to be called once each, from one thread.
 */
public final class HttpApi {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http");
    private static final String OPENAPI_RESOURCE = "/dev/basenft/adapter/http/javalin/openapi.json";
    private static final int RESPONSE_COPY_BUFFER = 4 * 1024;
    /** How long a browser may reuse a preflight answer. */
    private static final int CORS_MAX_AGE_SECONDS = 600;

    private final HttpSettings settings;
    private final Authenticator authenticator;
    private final CampaignEndpoints endpoints;
    private final Idempotency idempotency;
    private final Readiness readiness;
    private final HttpMetrics metrics;
    private final byte[] openApi;
    private final ConsoleAssets console;
    private final CampaignEvents events;
    private final List<String> routes = new ArrayList<>();
    private final Javalin app;

    private HttpApi(Builder b) {
        this.settings = b.settings;
        this.authenticator = b.authenticator;
        this.endpoints = new CampaignEndpoints(b.createCampaign, b.addRecipients, b.prepareDeploy, b.attachContract,
                b.startDistribution, b.retryFailed, b.readStatus);
        this.idempotency = new Idempotency(b.idempotencyRecords, b.clock);
        this.readiness = new Readiness(b.readinessChecks, settings.readinessTimeout());
        this.metrics = new HttpMetrics(b.meterRegistry != null ? b.meterRegistry
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        this.openApi = readOpenApi();
        this.console = new ConsoleAssets(b.console);
        this.events = CampaignEvents.withDefaults(b.readStatus);
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

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        // Bodies are read through RequestBody's limit; Javalin's own limit is set to the larger one as a backstop.
        config.http.maxRequestSize = Math.max(settings.maxJsonBodyBytes(), settings.maxUploadBytes());
        config.http.prefer405over404 = true;
        config.http.defaultContentType = ApiResponse.JSON;
        // Javalin copies every result into the response through a buffer of this size, allocated per response; unset, it
        // is Jetty's output buffer (32 KiB), which for our answers (mostly under 1 KiB) was garbage made on every request.
        // Larger bodies just take more copies into Jetty's own buffer.
        config.http.responseBufferSize = RESPONSE_COPY_BUFFER;
        config.jsonMapper(new JavalinJackson(Json.mapper(), false));
        if (!settings.corsOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                // Only the named origins, and no cookies: callers authenticate with a bearer token their page adds itself.
                String[] origins = settings.corsOrigins().toArray(String[]::new);
                rule.allowHost(origins[0], java.util.Arrays.copyOfRange(origins, 1, origins.length));
                rule.maxAge = CORS_MAX_AGE_SECONDS;
                // Headers scripts must read and browsers hide from other origins unless told.
                List.of("Location", "Retry-After", Idempotency.REPLAYED_HEADER, "WWW-Authenticate").forEach(rule::exposeHeader);
            }));
        }
        config.events.handlerAdded(meta -> {
            if (meta.getHttpMethod().isHttpMethod()) {
                synchronized (routes) {
                    routes.add(meta.getHttpMethod().name() + " " + meta.getPath());
                }
            }
        });
        config.requestLogger.http((ctx, ms) -> metrics.record(ctx.method().name(), routeOf(ctx), ctx.statusCode(),
                Duration.ofNanos((long) (ms * 1_000_000))));

        config.routes.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "no-store");
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, fromJavalin(e)));
        config.routes.exception(Exception.class, (e, ctx) -> write(ctx, ErrorMapping.toResponse(e)));
        for (int status : List.of(400, 404, 405, 413, 500)) {
            config.routes.error(status, ctx -> {
                // Only fills in answers Javalin or Jetty produced without a body; ours are already problem documents.
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith(Problem.MEDIA_TYPE)) {
                    write(ctx, ApiResponse.problem(Problem.of(kindFor(ctx.statusCode()), describe(ctx))));
                }
            });
        }

        config.routes.get("/health", open(ctx -> ApiResponse.json(200, Map.of("status", "UP"))));
        config.routes.get("/health/ready", open(ctx -> readiness.run()));
        config.routes.get("/metrics", ctx -> ctx.contentType(HttpMetrics.PROMETHEUS_TEXT).result(metrics.scrape()));
        config.routes.get("/openapi.json", ctx -> ctx.contentType(ApiResponse.JSON).result(openApi));
        config.routes.get("/", this::consolePage);
        config.routes.get("/console/{file}", this::consoleFile);
        config.routes.get("/.well-known/farcaster.json", this::miniAppManifest);

        config.routes.get("/api/me", authed((ctx, caller) -> endpoints.me(caller)));
        config.routes.post("/api/campaigns", authedPost(settings.maxJsonBodyBytes(),
                (ctx, caller, body) -> endpoints.create(caller, mediaType(ctx), body)));
        config.routes.get("/api/campaigns", authed((ctx, caller) -> endpoints.list(caller, ctx::queryParam)));
        config.routes.get("/api/campaigns/{id}", authed((ctx, caller) -> endpoints.get(caller, ctx.pathParam("id"))));
        config.routes.get("/api/campaigns/{id}/deploy-transaction",
                authed((ctx, caller) -> endpoints.deployTransaction(caller, ctx.pathParam("id"), ctx::queryParam)));
        config.routes.post("/api/campaigns/{id}/contract", authedPost(settings.maxJsonBodyBytes(),
                (ctx, caller, body) -> endpoints.attach(caller, ctx.pathParam("id"), mediaType(ctx), body)));
        config.routes.post("/api/campaigns/{id}/recipients", authedPost(settings.maxUploadBytes(),
                (ctx, caller, body) -> endpoints.addRecipients(caller, ctx.pathParam("id"), mediaType(ctx), body)));
        config.routes.get("/api/campaigns/{id}/recipients",
                authed((ctx, caller) -> endpoints.recipients(caller, ctx.pathParam("id"), ctx::queryParam)));
        config.routes.post("/api/campaigns/{id}/distribute", authedPost(settings.maxJsonBodyBytes(),
                (ctx, caller, body) -> endpoints.distribute(caller, ctx.pathParam("id"), body)));
        config.routes.post("/api/campaigns/{id}/retry", authedPost(settings.maxJsonBodyBytes(),
                (ctx, caller, body) -> endpoints.retry(caller, ctx.pathParam("id"), body)));
        config.routes.get("/api/campaigns/{id}/distributions",
                authed((ctx, caller) -> endpoints.distributions(caller, ctx.pathParam("id"))));
        config.routes.get("/api/campaigns/{id}/events", this::campaignEvents);
    }

    private void consolePage(Context ctx) {
        ctx.header("Content-Security-Policy", console.contentSecurityPolicy());
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(console.page());
    }

    private void consoleFile(Context ctx) {
        var asset = console.asset(ctx.pathParam("file"));
        if (asset.isEmpty()) {
            write(ctx, ApiResponse.problem(Problem.of(Problem.Kind.NOT_FOUND, "no console file " + ctx.pathParam("file"))));
            return;
        }
        // Revalidated on every load: file names carry no version, and a stale script against a newer API would break.
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(asset.get().contentType()).result(asset.get().body());
    }

    private void miniAppManifest(Context ctx) {
        var manifest = console.manifest();
        if (manifest.isEmpty()) {
            write(ctx, ApiResponse.problem(Problem.of(Problem.Kind.NOT_FOUND, "the Farcaster mini app is not configured "
                    + "here (set the MINIAPP_* and FARCASTER_* settings)")));
            return;
        }
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(ApiResponse.JSON).result(manifest.get());
    }

    /**
     * {@code GET /api/campaigns/{id}/events}: authenticated like any read (a browser's EventSource cannot send the header,
     * the console reads the stream with fetch), then the request is suspended and {@link CampaignEvents}'s one thread
     * writes to it; no request thread waits.
     */
    private void campaignEvents(Context ctx) throws IOException {
        CampaignId campaign;
        Fid caller;
        try {
            caller = authenticator.authenticate(ctx.header("Authorization"));
            campaign = endpoints.visibleCampaign(caller, ctx.pathParam("id"));
        } catch (RuntimeException e) {
            write(ctx, ErrorMapping.toResponse(e));
            return;
        }
        if (!events.reserve()) {
            write(ctx, ApiResponse.problem(Problem.of(Problem.Kind.STREAMS_EXHAUSTED, "too many live progress streams are open; "
                    + "poll GET /api/campaigns/" + campaign + " instead").withHeader("Retry-After", "30")));
            return;
        }
        CompletableFuture<Void> ended = new CompletableFuture<>();
        try {
            ctx.status(200);
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.header("X-Accel-Buffering", "no");
            // The servlet stream, not Javalin's: a compressing stream would hold events back until its buffer fills.
            OutputStream out = ctx.res().getOutputStream();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            ctx.future(() -> ended);
            events.subscribe(caller, campaign, new CampaignEvents.Sink() {
                @Override
                public void send(String text) throws IOException {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }

                @Override
                public void close() {
                    ended.complete(null);
                }
            });
        } catch (IOException | RuntimeException e) {
            events.release();
            ended.complete(null);
            throw e;
        }
    }

    @FunctionalInterface
    private interface OpenAction {
        ApiResponse run(Context ctx);
    }

    @FunctionalInterface
    private interface AuthedAction {
        ApiResponse run(Context ctx, Fid caller);
    }

    @FunctionalInterface
    private interface PostAction {
        ApiResponse run(Context ctx, Fid caller, RequestBody body);
    }

    private static Handler open(OpenAction action) {
        return ctx -> write(ctx, guarded(() -> action.run(ctx)));
    }

    private Handler authed(AuthedAction action) {
        return ctx -> write(ctx, guarded(() -> action.run(ctx, authenticator.authenticate(ctx.header("Authorization")))));
    }

    /** Authentication, then the Idempotency-Key, then the body through its limit, then the action, once per key. */
    private Handler authedPost(long limit, PostAction action) {
        return ctx -> write(ctx, guarded(() -> {
            Fid caller = authenticator.authenticate(ctx.header("Authorization"));
            String key = Idempotency.requireKey(ctx.header(Idempotency.HEADER));
            RequestBody body = new RequestBody(requestStream(ctx), limit, ctx.req().getContentLengthLong(),
                    ctx.method().name(), ctx.path(), MediaType.parse(ctx.contentType()).type());
            return idempotency.execute(caller, key, body, () -> guarded(() -> action.run(ctx, caller, body)));
        }));
    }

    private static ApiResponse guarded(java.util.function.Supplier<ApiResponse> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return ErrorMapping.toResponse(e);
        }
    }

    private static InputStream requestStream(Context ctx) {
        try {
            return ctx.req().getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MediaType mediaType(Context ctx) {
        return MediaType.parse(ctx.header("Content-Type"));
    }

    private static void write(Context ctx, ApiResponse response) {
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        ctx.contentType(response.contentType());
        // Straight into Javalin's response stream (so compression still applies): the body is a byte[] already, and
        // ctx.result(bytes) would wrap it in a stream and copy it over through a buffer allocated for every response.
        // Called once per request: an error handler only writes when no problem document was written before it.
        try {
            ctx.outputStream().write(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiResponse fromJavalin(HttpResponseException e) {
        int status = e.getStatus() >= 400 && e.getStatus() <= 599 ? e.getStatus() : 500;
        return ApiResponse.problem(new Problem(kindFor(status).type(), kindFor(status).title(), status,
                e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + status : e.getMessage(), List.of(), Map.of(),
                Map.of()));
    }

    private static Problem.Kind kindFor(int status) {
        return switch (status) {
            case 404 -> Problem.Kind.NOT_FOUND;
            case 405 -> Problem.Kind.METHOD_NOT_ALLOWED;
            case 413 -> Problem.Kind.PAYLOAD_TOO_LARGE;
            case 500 -> Problem.Kind.INTERNAL;
            default -> Problem.Kind.BAD_REQUEST;
        };
    }

    private static String describe(Context ctx) {
        return switch (ctx.statusCode()) {
            case 404 -> "no route " + ctx.method().name() + " " + ctx.path() + "; GET /openapi.json lists them";
            case 405 -> "route " + ctx.path() + " does not accept " + ctx.method().name();
            case 413 -> "the request body is too large";
            case 500 -> "an unexpected error occurred";
            default -> "the request could not be processed";
        };
    }

    private static String routeOf(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
            return endpoint == null ? "unmatched" : endpoint.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private static byte[] readOpenApi() {
        try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + OPENAPI_RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds an {@link HttpApi}. Not thread-safe. */
    public static final class Builder {
        private CreateCampaignUseCase createCampaign;
        private AddRecipientsUseCase addRecipients;
        private AttachContractUseCase attachContract;
        private StartDistributionUseCase startDistribution;
        private RetryFailedUseCase retryFailed;
        private ReadStatusQuery readStatus;
        private PrepareDeployUseCase prepareDeploy;
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
            Map<String, Object> required = new java.util.LinkedHashMap<>();
            required.put("createCampaign", createCampaign);
            required.put("addRecipients", addRecipients);
            required.put("prepareDeploy", prepareDeploy);
            required.put("attachContract", attachContract);
            required.put("startDistribution", startDistribution);
            required.put("retryFailed", retryFailed);
            required.put("readStatus", readStatus);
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
