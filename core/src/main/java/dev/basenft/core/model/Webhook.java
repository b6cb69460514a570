package dev.basenft.core.model;

import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A registered webhook: where to POST which events, for one campaign or for every campaign of its owner. Immutable.
 *
 * <p>The secret signs every delivery, so it is kept; {@link #toString()} never shows it, so a logged webhook cannot leak it.
 *
 * @param id never null
 * @param owner the creator who registered it; never null
 * @param url an absolute http(s) URL; never null
 * @param events the subscribed types, a non-empty subset of {@link WebhookEventType#SUBSCRIBABLE}; never null
 * @param campaignId the one campaign it is for, or empty for every campaign of {@code owner}; never null
 * @param secret the HMAC key, {@code whsec_…}; never null
 * @param createdAt never null
 */
public record Webhook(WebhookId id, Fid owner, URI url, Set<WebhookEventType> events, Optional<CampaignId> campaignId,
        String secret, Instant createdAt) {

    /** The prefix of every secret, so a leaked one is recognisable (and a secret scanner can find it). */
    public static final String SECRET_PREFIX = "whsec_";

    public Webhook {
        Require.notNull("id", id);
        Require.notNull("owner", owner);
        Require.notNull("url", url);
        Require.notNull("events", events);
        Require.notNull("campaignId", campaignId);
        Require.notNull("secret", secret);
        Require.notNull("createdAt", createdAt);
        if (!url.isAbsolute() || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new InvalidArgumentException("url", "url must be an absolute http or https URL");
        }
        // Credentials in a URL end up in logs and listings; a receiver authenticates deliveries by their signature.
        if (url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw new InvalidArgumentException("url", "url must not hold user info or a fragment");
        }
        if (events.isEmpty() || !WebhookEventType.SUBSCRIBABLE.containsAll(events)) {
            throw new InvalidArgumentException("events", "events must be a non-empty subset of "
                    + "campaign.completed, campaign.failed, batch.failed");
        }
        events = Set.copyOf(EnumSet.copyOf(events));
        if (!secret.startsWith(SECRET_PREFIX) || secret.length() < SECRET_PREFIX.length() + 16) {
            throw new InvalidArgumentException("secret", "secret must start with " + SECRET_PREFIX
                    + " and hold at least 16 more characters");
        }
    }

    /** Whether an event of {@code type} on {@code campaign} of {@code campaignOwner} goes to this webhook. */
    public boolean matches(WebhookEventType type, CampaignId campaign, Fid campaignOwner) {
        return events.contains(type) && owner.equals(campaignOwner)
                && campaignId.map(campaign::equals).orElse(true);
    }

    @Override
    public String toString() {
        // A receiver's query string may carry a token of its own: shown as "?…", like the secret kept out of logs.
        String shownUrl = url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?…");
        return "Webhook[id=" + id + ", owner=" + owner + ", url=" + shownUrl + ", events=" + events + ", campaignId="
                + campaignId + ", secret=(hidden), createdAt=" + createdAt + "]";
    }
}
