package dev.basenft.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Applied migrations whose comments were reworded later, with the checksum Flyway stored for them before and the one of
 * the file now. Flyway's checksum covers every line, comments too, so without this a database migrated before the
 * rewording would refuse to start ("checksum mismatch"). Only a stored checksum equal to the known earlier one is
 * updated: that proves the database ran the very same statements; any other mismatch is still Flyway's error to report.
 */
final class RewordedMigrations {

    /** One reworded migration: its version and the checksums before and after. */
    record Reworded(String version, int before, int after, String why) {
    }

    static final List<Reworded> ALL = List.of(
            // Two comments cited a specification document outside the repository; they now point into docs/.
            new Reworded("1", -1842152675, 1568290541, "comments point into docs/ instead of an outside document"));

    private RewordedMigrations() {
    }

    /**
     * Brings the stored checksums of reworded migrations up to date; a no-op on a new database or one already updated.
     *
     * @param schema the schema holding {@code flyway_schema_history}, or empty for the connection's search path
     * @return how many history rows were updated
     */
    static int acceptRewordings(Connection connection, Optional<String> schema) throws SQLException {
        String table = schema.map(s -> "\"" + s.replace("\"", "\"\"") + "\".").orElse("") + "flyway_schema_history";
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        int updated = 0;
        for (Reworded reworded : ALL) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table + " SET checksum = ? WHERE version = ? AND checksum = ?")) {
                update.setInt(1, reworded.after());
                update.setString(2, reworded.version());
                update.setInt(3, reworded.before());
                updated += update.executeUpdate();
            }
        }
        return updated;
    }
}
