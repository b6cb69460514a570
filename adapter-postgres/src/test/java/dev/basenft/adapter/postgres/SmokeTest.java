package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void migrates() {
        System.out.println("mode: " + TestDatabase.mode());
        try (var schema = TestDatabase.newSchema("smoke")) {
            assertThat(schema.count("recipients")).isZero();
            assertThat(schema.storage().migrate()).isZero();
        }
    }
}
