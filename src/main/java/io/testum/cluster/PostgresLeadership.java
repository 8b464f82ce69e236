package io.testum.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Leadership through a session-level PostgreSQL advisory lock held on a dedicated connection.
 * The lock lives as long as the connection: when it breaks, or the server ends the session, this
 * replica stops leading at the next check (every {@code period}), and another one takes the lock.
 */
public final class PostgresLeadership implements Leadership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresLeadership.class);
    static final long LOCK_KEY = 0x7465737475_6dL;

    private final String url;
    private final String user;
    private final String password;
    private final String identity;
    private final ScheduledExecutorService timer;
    private volatile Connection connection;
    private volatile boolean leader;

    public PostgresLeadership(String jdbcUrl, String user, String password, String identity, Duration period) {
        this.url = jdbcUrl;
        this.user = user;
        this.password = password;
        this.identity = identity;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "testum-leader-election");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs one election step now: keeps or tries the lock. */
    synchronized void check() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, user, password);
                connection.setAutoCommit(true);
                try (PreparedStatement name = connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    name.setString(1, "testum leader election: " + identity);
                    name.execute();
                }
            }
            if (leader) {
                if (!connection.isValid(5) || !holdsLock()) {
                    lost("the lock's session ended");
                }
                return;
            }
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, LOCK_KEY);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        leader = true;
                        LOG.infof("%s leads (PostgreSQL advisory lock)", identity);
                    }
                }
            }
        } catch (SQLException e) {
            lost(e.getMessage());
        }
    }

    private boolean holdsLock() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND pid = pg_backend_pid() AND objid = ? AND granted")) {
            s.setLong(1, LOCK_KEY & 0xffffffffL);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private void lost(String why) {
        if (leader) {
            LOG.warnf("%s no longer leads: %s", identity, why);
        }
        leader = false;
        closeConnection();
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public String mode() {
        return "postgres";
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public Optional<String> leader() {
        return leader ? Optional.of(identity) : leaderFromDatabase();
    }

    private Optional<String> leaderFromDatabase() {
        try (Connection c = DriverManager.getConnection(url, user, password);
                PreparedStatement s = c.prepareStatement("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                        + "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.objid = ? AND l.granted LIMIT 1")) {
            s.setLong(1, LOCK_KEY & 0xffffffffL);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1).replace("testum leader election: ", "")) : Optional.empty();
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Test hook: drops the connection as a network failure would. */
    synchronized void dropConnection() {
        closeConnection();
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        leader = false;
        closeConnection();
    }
}
