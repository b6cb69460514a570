package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.InvalidAddressException;
import dev.basenft.core.port.in.CancelDistributionUseCase;
import dev.basenft.core.port.in.CancelDistributionUseCase.CancelDistributionCommand;
import dev.basenft.core.port.in.PauseDistributionUseCase;
import dev.basenft.core.port.in.PauseDistributionUseCase.PauseDistributionCommand;
import dev.basenft.core.port.in.RemoveRecipientsUseCase;
import dev.basenft.core.port.in.RemoveRecipientsUseCase.RemovalResult;
import dev.basenft.core.port.in.RemoveRecipientsUseCase.RemoveRecipientsCommand;
import dev.basenft.core.port.in.ResumeDistributionUseCase;
import dev.basenft.core.port.in.ResumeDistributionUseCase.ResumeDistributionCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The distribution controls' endpoints: pause, resume, cancel, and removing unplanned recipients. Parse, call the use case,
 * shape the answer; refusals are thrown and turned into problem documents by {@link ErrorMapping}. Thread-safe.
 */
public final class ControlEndpoints {

    private final PauseDistributionUseCase pause;
    private final ResumeDistributionUseCase resume;
    private final CancelDistributionUseCase cancel;
    private final RemoveRecipientsUseCase remove;

    /** Every argument is required. */
    public ControlEndpoints(PauseDistributionUseCase pause, ResumeDistributionUseCase resume,
            CancelDistributionUseCase cancel, RemoveRecipientsUseCase remove) {
        this.pause = Objects.requireNonNull(pause, "pause");
        this.resume = Objects.requireNonNull(resume, "resume");
        this.cancel = Objects.requireNonNull(cancel, "cancel");
        this.remove = Objects.requireNonNull(remove, "remove");
    }

    /** The body of {@code POST …/recipients/remove}. */
    public record RemoveRecipientsRequest(List<String> addresses) {
    }

    /** The body of pause, resume and cancel: empty, or an object with no fields. */
    public record NoFields() {
    }

    /** {@code POST /api/campaigns/{id}/pause}: 200 with the campaign, PAUSED (also when it was already). */
    public ApiResponse pause(Fid caller, String id, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        noFields(body);
        return ApiResponse.json(200, Views.campaign(pause.pause(new PauseDistributionCommand(caller, campaignId))));
    }

    /** {@code POST /api/campaigns/{id}/resume}: 200 with the campaign, PROCESSING (also when it was already). */
    public ApiResponse resume(Fid caller, String id, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        noFields(body);
        return ApiResponse.json(200, Views.campaign(resume.resume(new ResumeDistributionCommand(caller, campaignId))));
    }

    /** {@code POST /api/campaigns/{id}/cancel}: 200 with the campaign, CANCELLED (also when it was already). */
    public ApiResponse cancel(Fid caller, String id, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        noFields(body);
        return ApiResponse.json(200, Views.campaign(cancel.cancel(new CancelDistributionCommand(caller, campaignId))));
    }

    /** {@code POST /api/campaigns/{id}/recipients/remove {addresses}}: 200 {@code {removed, absent}}; 409 when planned. */
    public ApiResponse removeMany(Fid caller, String id, MediaType type, RequestBody body) {
        CampaignId campaignId = campaignId(id);
        type.require(List.of("application/json"));
        RemoveRecipientsRequest request = Json.read(body.bytes(), RemoveRecipientsRequest.class);
        if (request.addresses() == null || request.addresses().isEmpty()
                || request.addresses().size() > RemoveRecipientsUseCase.MAX_ADDRESSES) {
            String detail = "addresses must list 1 to " + RemoveRecipientsUseCase.MAX_ADDRESSES + " addresses";
            throw Problem.of(Problem.Kind.BAD_REQUEST, detail, List.of(Problem.Error.field("/addresses", detail)))
                    .exception();
        }
        List<Address> addresses = new ArrayList<>();
        List<Problem.Error> errors = new ArrayList<>();
        for (int i = 0; i < request.addresses().size(); i++) {
            String text = request.addresses().get(i);
            try {
                if (text == null) {
                    throw new InvalidAddressException("must not be null");
                }
                addresses.add(Address.parse(text));
            } catch (IllegalArgumentException e) {
                errors.add(Problem.Error.field("/addresses/" + i, "not an address (0x and 40 hex digits, EIP-55 checksum"
                        + " when mixed case): " + e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, errors.size() + " of " + request.addresses().size()
                    + " addresses are not valid; nothing was removed", errors).exception();
        }
        return removal(caller, campaignId, addresses);
    }

    /** {@code DELETE /api/campaigns/{id}/recipients/{address}}: as {@link #removeMany} for one address. */
    public ApiResponse removeOne(Fid caller, String id, String address) {
        CampaignId campaignId = campaignId(id);
        Address parsed;
        try {
            parsed = Address.parse(address);
        } catch (IllegalArgumentException e) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the address in the path must be 0x and 40 hex digits",
                    List.of(Problem.Error.field("address", e.getMessage()))).exception();
        }
        return removal(caller, campaignId, List.of(parsed));
    }

    private ApiResponse removal(Fid caller, CampaignId campaignId, List<Address> addresses) {
        return switch (remove.remove(new RemoveRecipientsCommand(caller, campaignId, addresses))) {
            case RemovalResult.Removed removed -> ApiResponse.json(200, new Views.Removed(removed.removed(),
                    removed.absent().stream().map(Address::toString).toList()));
            case RemovalResult.Refused refused -> {
                List<Problem.Error> errors = new ArrayList<>();
                refused.planned().forEach((address, status) -> errors.add(Problem.Error.field("/addresses/"
                        + addresses.indexOf(address), address + " is " + status + ": planned into a batch already")));
                yield ApiResponse.problem(Problem.of(Problem.Kind.RECIPIENTS_PLANNED, refused.planned().size()
                        + " of the recipients are planned into a batch (or minted) and cannot be removed: "
                        + String.join(", ", refused.planned().keySet().stream().map(Address::toString).toList())
                        + "; nothing was removed", errors));
            }
        };
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
}
