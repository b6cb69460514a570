package dev.basenft.adapter.postgres;

import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Reads what PostgreSQL refused out of an exception chain: the SQLSTATE and the constraint, so a refused duplicate can be
 * reported as what it means in the domain. Stateless and thread-safe.
 */
final class SqlErrors {

    static final String UNIQUE_VIOLATION = "23505";
    static final String FOREIGN_KEY_VIOLATION = "23503";
    static final String CHECK_VIOLATION = "23514";
    static final String DEADLOCK = "40P01";

    private SqlErrors() {
    }

    /**
     * The server's own error in the exception chain, if any: a {@link PSQLException} carrying the server's message,
     * looked for through causes and, for a JDBC batch, through {@link SQLException#getNextException()}, where the driver
     * puts the error behind its BatchUpdateException. Falls back to the first SQLException.
     */
    static Optional<SQLException> sqlException(Throwable error) {
        SQLException first = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e instanceof PSQLException server && server.getServerErrorMessage() != null) {
                        return Optional.of(server);
                    }
                }
                if (first == null) {
                    first = sql;
                }
            }
        }
        return Optional.ofNullable(first);
    }

    static boolean isState(Throwable error, String sqlState) {
        return sqlException(error).map(e -> sqlState.equals(e.getSQLState())).orElse(false);
    }

    /** The name of the constraint PostgreSQL reported, or empty. */
    static Optional<String> constraint(Throwable error) {
        return sqlException(error)
                .filter(PSQLException.class::isInstance)
                .map(e -> ((PSQLException) e).getServerErrorMessage())
                .map(ServerErrorMessage::getConstraint);
    }

    static boolean violates(Throwable error, String sqlState, String constraintName) {
        return isState(error, sqlState) && constraint(error).filter(constraintName::equals).isPresent();
    }

    /** PostgreSQL's own message, which names the table, constraint and value at fault. */
    static String message(Throwable error) {
        return sqlException(error).map(Throwable::getMessage).orElse(String.valueOf(error.getMessage()));
    }
}
