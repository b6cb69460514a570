package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Another process in the middle of a write-ahead: it holds a wallet's nonce counter locked until {@link #release}, so the
 * write-aheads of the process under test queue behind it, as they do behind a second worker on the same wallet.
 */
final class HeldWalletCounter implements AutoCloseable {

    private final Connection otherProcess;

    private HeldWalletCounter(Connection otherProcess) {
        this.otherProcess = otherProcess;
    }

    /** Creates the wallet's counter (at 0) and locks it. */
    static HeldWalletCounter hold(String schema, Address wallet) throws SQLException {
        Connection connection = TestDatabase.connect();
        connection.setAutoCommit(false);
        String walletBytes = "'\\x" + wallet.lowerCase().substring(2) + "'";
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET search_path TO " + schema);
            sql.execute("INSERT INTO minter_nonces (wallet, next_nonce) VALUES (" + walletBytes + ", 0)"
                    + " ON CONFLICT DO NOTHING");
            connection.commit();
            sql.execute("SELECT next_nonce FROM minter_nonces WHERE wallet = " + walletBytes + " FOR UPDATE");
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return new HeldWalletCounter(connection);
    }

    /** Waits until {@code count} sessions wait for a row lock on a wallet's counter. */
    static void awaitWaiters(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE '%FROM minter_nonces%FOR UPDATE%'")) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no write-ahead came to wait for the wallet's row lock within 10 s");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    /** Ends the other process's transaction: the write-aheads waiting behind it go on. */
    void release() throws SQLException {
        otherProcess.commit();
    }

    @Override
    public void close() throws SQLException {
        otherProcess.close();
    }
}
