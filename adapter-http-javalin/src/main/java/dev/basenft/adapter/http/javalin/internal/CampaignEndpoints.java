package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.InvalidArgumentException;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.port.in.AddRecipientsUseCase;
import dev.basenft.core.port.in.AddRecipientsUseCase.AddRecipientsCommand;
import dev.basenft.core.port.in.AttachContractUseCase;
import dev.basenft.core.port.in.AttachContractUseCase.AttachContractCommand;
import dev.basenft.core.port.in.AttachContractUseCase.AttachResult;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.CreateCampaignUseCase;
import dev.basenft.core.port.in.CreateCampaignUseCase.CreateCampaignCommand;
import dev.basenft.core.port.in.EstimateCostQuery;
import dev.basenft.core.port.in.PrepareDeployUseCase;
import dev.basenft.core.port.in.PrepareDeployUseCase.PrepareDeployCommand;
import dev.basenft.core.port.in.PrepareDeployUseCase.PreparedDeploy;
import dev.basenft.core.port.in.ReadStatusQuery;
import dev.basenft.core.port.in.RetryFailedUseCase;
import dev.basenft.core.port.in.RetryFailedUseCase.RetryFailedCommand;
import dev.basenft.core.port.in.StartDistributionUseCase;
import dev.basenft.core.port.in.StartDistributionUseCase.DistributionStarted;
import dev.basenft.core.port.in.StartDistributionUseCase.StartDistributionCommand;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@code /api} routes (docs/architecture.md#http-api) as plain methods over core's use cases: parse and validate
 * the request, call the use case, shape the answer. Free of Javalin, so the rules are readable in one place. Failures
 * are thrown (as {@link ProblemException} or core's exceptions) and turned into problem documents by {@link
 * ErrorMapping}. Thread-safe.
 */
public final class CampaignEndpoints {

    /** Page size when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page. */
    public static final int MAX_LIMIT = 200;
    private static final List<String> CAMPAIGN_FIELDS = List.of("name", "symbol", "description", "baseUri");

    private final CreateCampaignUseCase create;
    private final AddRecipientsUseCase addRecipients;
    private final PrepareDeployUseCase prepareDeploy;
    private final AttachContractUseCase attach;
    private final StartDistributionUseCase start;
    private final RetryFailedUseCase retry;
    private final ReadStatusQuery read;

    /** Every argument is required. */
    public CampaignEndpoints(CreateCampaignUseCase create, AddRecipientsUseCase addRecipients,
            PrepareDeployUseCase prepareDeploy, AttachContractUseCase attach, StartDistributionUseCase start,
            RetryFailedUseCase retry, ReadStatusQuery read) {
        this.create = Objects.requireNonNull(create, "create");
        this.addRecipients = Objects.requireNonNull(addRecipients, "addRecipients");
        this.prepareDeploy = Objects.requireNonNull(prepareDeploy, "prepareDeploy");
        this.attach = Objects.requireNonNull(attach, "attach");
        this.start = Objects.requireNonNull(start, "start");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.read = Objects.requireNonNull(read, "read");
    }

    /** The body of {@code POST /api/campaigns}. */
    public record CreateCampaignRequest(String name, String symbol, String description, String baseUri) {
    }

    /** The body of {@code POST /api/campaigns/{id}/contract}. */
    public record AttachContractRequest(String txHash) {
    }

    /** The body of {@code distribute} and {@code retry}: empty, or an object with no fields. */
    public record NoFields() {
    }

    /** {@code GET /api/me}. */
    public ApiResponse me(Fid caller) {
        return ApiResponse.json(200, new Views.Me(caller.value()));
    }

    /** {@code POST /api/campaigns}: 201 with the DRAFT campaign and its Location. */
    public ApiResponse create(Fid caller, MediaType type, RequestBody body) {
        type.require(List.of("application/json"));
        CreateCampaignRequest request = Json.read(body.bytes(), CreateCampaignRequest.class);
        Campaign campaign;
        try {
            campaign = create.create(new CreateCampaignCommand(caller, request.name(), request.symbol(),
                    request.description(), request.baseUri()));
        } catch (IllegalArgumentException e) {
            throw fieldProblem(e, CAMPAIGN_FIELDS).exception();
        }
        return ApiResponse.json(201, Views.campaign(campaign)).withHeader("Location", "/api/campaigns/" + campaign.id());
    }

    /** {@code GET /api/campaigns?cursor=&limit=}: the caller's campaigns, in id order. */
    public ApiResponse list(Fid caller, UnaryOperator<String> query) {
        int limit = limit(query.apply("limit"));
        Optional<CampaignId> after = Cursors.campaignAfter(query.apply("cursor"));
        // One extra row tells whether there is a next page without a count query.
        List<Campaign> rows = read.campaigns(caller, after, limit + 1);
        List<Campaign> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? Cursors.campaign(page.get(page.size() - 1).id()) : null;
        return ApiResponse.json(200, new Views.Page<>(page.stream().map(Views::campaign).toList(), next));
    }

    /** {@code GET /api/campaigns/{id}}: with counts by status. */
    public ApiResponse get(Fid caller, String id) {
        CampaignId campaignId = campaignId(id);
        ReadStatusQuery.CampaignView view = read.campaign(caller, campaignId)
                .orElseThrow(() -> new CampaignNotFoundException(campaignId));
        return ApiResponse.json(200, Views.campaign(view));
    }

    /**
     * The id in a path, checked to be a campaign of the caller (for the event stream, which answers before it streams).
     *
     * @throws CampaignNotFoundException when it is not the caller's
     */
    public CampaignId visibleCampaign(Fid caller, String id) {
        CampaignId campaignId = campaignId(id);
        if (read.campaign(caller, campaignId).isEmpty()) {
            throw new CampaignNotFoundException(campaignId);
        }
        return campaignId;
    }

    /**
     * {@code GET /api/campaigns/{id}/deploy-transaction?from=}: the factory call the creator's wallet signs, carrying the
     * campaign key; with {@code from} (the wallet that will send it) also the collection's address to be.
     */
    public ApiResponse deployTransaction(Fid caller, String id, UnaryOperator<String> query) {
        CampaignId campaignId = campaignId(id);
        Optional<Address> from = wallet(query.apply("from"));
        PreparedDeploy prepared = prepareDeploy.prepare(new PrepareDeployCommand(caller, campaignId, from));
        return switch (prepared) {
            case PreparedDeploy.Ready ready -> ApiResponse.json(200, Views.deploy(ready));
            case PreparedDeploy.AlreadyAttached attached -> throw Problem.of(Problem.Kind.CAMPAIGN_HAS_COLLECTION,
                    "campaign " + campaignId + " already has its collection " + attached.collection()
                            + "; there is nothing to deploy").with("contract", attached.collection().value()).exception();
        };
    }

    /** {@code POST /api/campaigns/{id}/contract} {@code {txHash}}. */
    public ApiResponse attach(Fid caller, String id, MediaType type, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        type.require(List.of("application/json"));
        AttachContractRequest request = Json.read(body.bytes(), AttachContractRequest.class);
        TxHash hash;
        try {
            hash = new TxHash(Objects.requireNonNullElse(request.txHash(), ""));
        } catch (IllegalArgumentException e) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "txHash must be 0x and 64 hex digits",
                    List.of(Problem.Error.field("txHash", request.txHash() == null ? "required"
                            : "must be 0x and 64 hex digits"))).exception();
        }
        AttachResult result = attach.attach(new AttachContractCommand(caller, campaignId, hash));
        return switch (result) {
            case AttachResult.Attached attached -> ApiResponse.json(200, Views.campaign(attached.campaign()));
            case AttachResult.NotMined notMined -> ApiResponse.problem(Problem.of(Problem.Kind.NOT_MINED,
                    "transaction " + hash + " is not mined yet (or unknown to the node); try again in a few seconds")
                    .withHeader("Retry-After", "2"));
            case AttachResult.Rejected rejected -> ApiResponse.problem(Problem.of(Problem.Kind.REJECTED,
                    "transaction " + hash + " cannot be attached: " + rejected.reason(),
                    List.of(Problem.Error.field("txHash", rejected.reason()))));
            // The event's campaign key is public on chain, so naming it tells the caller nothing new.
            case AttachResult.ForAnotherCampaign other -> ApiResponse.problem(Problem.of(
                    Problem.Kind.COLLECTION_FOR_ANOTHER_CAMPAIGN, "collection " + other.collection() + " was deployed for"
                            + " campaign key " + other.createdFor() + ", not for campaign " + campaignId
                            + "; deploy this campaign's own collection (GET /api/campaigns/" + campaignId
                            + "/deploy-transaction)", List.of(Problem.Error.field("txHash", "deployed for another campaign")))
                    .with("contract", other.collection().value()));
            // Which campaign has it is not said: it may be another creator's.
            case AttachResult.CollectionAlreadyAttached taken -> ApiResponse.problem(Problem.of(
                    Problem.Kind.COLLECTION_ALREADY_ATTACHED, "collection " + taken.collection()
                            + " is already attached to another campaign; a collection serves one campaign only",
                    List.of(Problem.Error.field("txHash", "collection already attached")))
                    .with("contract", taken.collection().value()));
            case AttachResult.CampaignHasCollection has -> ApiResponse.problem(Problem.of(
                    Problem.Kind.CAMPAIGN_HAS_COLLECTION, "campaign " + campaignId + " already has contract "
                            + has.existing() + "; it cannot take another").with("contract", has.existing().value()));
        };
    }

    /**
     * {@code POST /api/campaigns/{id}/recipients}: a JSON array or {@code text/csv}, all or nothing. Any bad line: 422 listing
     * them, nothing stored. Otherwise the new recipients are stored, and repeats (in the upload, or already stored) reported.
     */
    public ApiResponse addRecipients(Fid caller, String id, MediaType type, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        String kind = type.require(List.of("text/csv", "application/json"));
        // Answer 404 before reading a large upload for a campaign the caller cannot see.
        if (read.campaign(caller, campaignId).isEmpty()) {
            throw new CampaignNotFoundException(campaignId);
        }
        RecipientUpload.Parsed parsed = kind.equals("text/csv") ? RecipientUpload.csv(body.stream())
                : RecipientUpload.json(body.stream());
        if (parsed.errorCount() > 0) {
            Problem problem = Problem.of(Problem.Kind.INVALID_RECIPIENTS, parsed.errorCount() + " of " + parsed.rows()
                            + " line(s) are invalid; nothing was stored. Fix them and upload the whole list again"
                            + (parsed.errorCount() > parsed.errors().size() ? " (the first " + parsed.errors().size()
                            + " are listed)" : ""), parsed.errors())
                    .with("invalidLines", parsed.errorCount())
                    .with("receivedLines", parsed.rows());
            throw problem.exception();
        }
        IngestResult ingest = addRecipients.add(new AddRecipientsCommand(caller, campaignId, parsed.recipients()));
        return ApiResponse.json(200, new Views.UploadResult(parsed.rows(), ingest.added(),
                parsed.duplicateCount() + ingest.duplicates(), parsed.duplicateCount(), ingest.duplicates(),
                parsed.duplicates()));
    }

    /** {@code GET /api/campaigns/{id}/recipients?status=&cursor=&limit=}: by address. */
    public ApiResponse recipients(Fid caller, String id, UnaryOperator<String> query) {
        CampaignId campaignId = campaignId(id);
        int limit = limit(query.apply("limit"));
        Optional<RecipientStatus> status = status(query.apply("status"));
        Optional<Address> after = Cursors.recipientAfter(query.apply("cursor"));
        List<Recipient> rows = read.recipients(caller, campaignId, status, after, limit + 1);
        List<Recipient> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? Cursors.recipient(page.get(page.size() - 1).address()) : null;
        return ApiResponse.json(200, new Views.Page<>(page.stream().map(Views::recipient).toList(), next));
    }

    /** {@code POST /api/campaigns/{id}/distribute}: 202; 409 when no collection is attached yet. */
    public ApiResponse distribute(Fid caller, String id, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        noFields(body);
        DistributionStarted started = start.start(new StartDistributionCommand(caller, campaignId));
        return ApiResponse.json(202, new Views.DistributionStarted(started.plannedBatches(), started.plannedRecipients(),
                started.enqueuedBatches()));
    }

    /** {@code POST /api/campaigns/{id}/retry}: 202 {@code {requeued}}. */
    public ApiResponse retry(Fid caller, String id, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        noFields(body);
        return ApiResponse.json(202, new Views.Requeued(retry.retry(new RetryFailedCommand(caller, campaignId))));
    }

    /** {@code GET /api/campaigns/{id}/estimate}: what minting the rest costs now, against the minter's balance. */
    public ApiResponse estimate(Fid caller, String id, EstimateCostQuery estimator) {
        CampaignId campaignId = campaignId(id);
        return ApiResponse.json(200, Views.estimate(estimator.estimate(caller, campaignId)));
    }

    /**
     * {@code GET /api/campaigns/{id}/distributions?cursor=&limit=}: a page of the batches in index order with their
     * transactions and fees (not their addresses: the CSV export has those), and what the campaign has cost so far.
     */
    public ApiResponse distributions(Fid caller, String id, UnaryOperator<String> query) {
        CampaignId campaignId = campaignId(id);
        int limit = limit(query.apply("limit"));
        Optional<Integer> after = Cursors.batchAfter(query.apply("cursor"));
        List<ReadStatusQuery.BatchView> rows = read.distributions(caller, campaignId, after, limit + 1);
        List<ReadStatusQuery.BatchView> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? Cursors.batch(page.get(page.size() - 1).batch().index()) : null;
        return ApiResponse.json(200, new Views.DistributionsPage(page.stream().map(Views::batch).toList(), next,
                Views.feesPaid(read.feesPaid(caller, campaignId))));
    }

    private static void noFields(RequestBody body) {
        byte[] bytes = body.bytes();
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return;
        }
        Json.read(bytes, NoFields.class);
    }

    private static CampaignId campaignId(String id) {
        try {
            return CampaignId.parse(id);
        } catch (IllegalArgumentException e) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the campaign id in the path must be a UUID",
                    List.of(Problem.Error.field("id", "must be a UUID"))).exception();
        }
    }

    private static Optional<Address> wallet(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.parse(text));
        } catch (IllegalArgumentException e) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "from must be a wallet address (0x and 40 hex digits)",
                    List.of(Problem.Error.field("from", "must be 0x and 40 hex digits"))).exception();
        }
    }

    static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        // ASCII digits only: Integer.parseInt alone would also read Arabic-Indic or fullwidth digits.
        if (text.length() <= 9 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw Problem.of(Problem.Kind.BAD_REQUEST, "limit must be an integer from 1 to " + MAX_LIMIT,
                List.of(Problem.Error.field("limit", "must be an integer from 1 to " + MAX_LIMIT))).exception();
    }

    private static Optional<RecipientStatus> status(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RecipientStatus.valueOf(text.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            String allowed = String.join(", ", Arrays.stream(RecipientStatus.values()).map(Enum::name).toList());
            throw Problem.of(Problem.Kind.BAD_REQUEST, "status must be one of " + allowed,
                    List.of(Problem.Error.field("status", "must be one of " + allowed))).exception();
        }
    }

    /** Core's argument checks say which argument failed: when it is one of the request's fields, report it as its error. */
    private static Problem fieldProblem(IllegalArgumentException e, List<String> fields) {
        String message = e.getMessage() == null ? "invalid value" : e.getMessage();
        if (e instanceof InvalidArgumentException invalid && fields.contains(invalid.argument())) {
            return Problem.of(Problem.Kind.BAD_REQUEST, message, List.of(Problem.Error.field(invalid.argument(), message)));
        }
        return Problem.of(Problem.Kind.BAD_REQUEST, message);
    }
}
