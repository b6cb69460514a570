package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void turnsALibpqUrlIntoJdbcWithCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://minter:s3cret@db.internal:6543/basenft?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/basenft?sslmode=require");
        assertThat(url.user()).contains("minter");
        assertThat(url.password()).contains("s3cret");
    }

    @Test
    void acceptsThePostgresqlSchemeAndNoPasswordOrPort() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres@127.0.0.1/test");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/test");
        assertThat(url.user()).contains("postgres");
        assertThat(url.password()).isEmpty();
    }

    @Test
    void decodesPercentEncodedCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app%40prod:p%3Aw%2Fd+x@host:5432/db");

        assertThat(url.user()).contains("app@prod");
        assertThat(url.password()).contains("p:w/d+x");
    }

    @Test
    void passesJdbcUrlsThroughUntouched() {
        String jdbc = "jdbc:postgresql://localhost:5432/test?user=postgres";

        assertThat(DatabaseUrl.parse(jdbc)).isEqualTo(new DatabaseUrl(jdbc, Optional.empty(), Optional.empty()));
    }

    @Test
    void refusesOtherSchemesWithoutRepeatingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@localhost/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgres://")
                .hasMessageContaining("root:***@localhost")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void refusesAUrlWithoutHost() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres:///db"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
        assertThatThrownBy(() -> DatabaseUrl.parse("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void neverPrintsThePasswordOfAParsedUrl() {
        assertThat(DatabaseUrl.parse("postgres://u:topsecret@h/db").toString()).doesNotContain("topsecret");
        assertThat(DatabaseUrl.masked("jdbc:postgresql://h/db?user=u&password=topsecret")).doesNotContain("topsecret");
    }
}
