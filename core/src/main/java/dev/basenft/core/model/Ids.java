package dev.basenft.core.model;

import java.util.UUID;

final class Ids {

    private Ids() {
    }

    static UUID parse(String kind, String text) {
        if (text == null) {
            throw new IllegalArgumentException(kind + " must not be null");
        }
        try {
            UUID uuid = UUID.fromString(text.strip());
            if (!uuid.toString().equals(text.strip().toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(kind + " is not a canonical UUID: '" + text + "'");
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind + " is not a UUID: '" + text + "'", e);
        }
    }

    static UUID require(String kind, UUID value) {
        if (value == null) {
            throw new IllegalArgumentException(kind + " must not be null");
        }
        return value;
    }
}
