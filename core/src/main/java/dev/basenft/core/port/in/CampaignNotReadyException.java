package dev.basenft.core.port.in;

/** The campaign cannot do what was asked yet, for the reason given (e.g. no collection contract attached). */
public final class CampaignNotReadyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CampaignNotReadyException(String message) {
        super(message);
    }
}
