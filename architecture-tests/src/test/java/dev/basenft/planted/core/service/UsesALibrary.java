package dev.basenft.planted.core.service;

import com.tngtech.archunit.core.domain.JavaClass;

/** Violation: core depending on a library outside the JDK and jakarta.inject. */
public final class UsesALibrary {
    public String name(JavaClass type) {
        return type.getName();
    }
}
