package io.testum.gitops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.testum.cluster.Identity;

/**
 * One reconcile per source across every replica: a session-level PostgreSQL advisory lock per
 * source, held on a connection of its own for as long as the run lasts (fetch included, with no
 * transaction open). The lock ends with its session, so a replica that dies mid-run frees it.
 * Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class SourceLocks {

    private static final Logger LOG = Logger.getLogger(SourceLocks.class);
    /** The first key of every source lock, so that they cannot meet other advisory locks of testum. */
    static final String NAMESPACE = "testum.gitops.source";
    private static final Duration POLL = Duration.ofMillis(200);

    private final String url;
    private final String user;
    private final String password;
    private final String identity = Identity.current();

    public SourceLocks(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.user = user.orElse(null);
        this.password = password.orElse(null);
    }

    /** A held lock; closing it ends the session, which releases the lock whatever happened. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing a source lock's session: %s", e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Takes the lock of {@code source}, waiting up to {@code wait} while another run (of any
     * replica) holds it.
     *
     * @return the held lock, or empty when another run kept it for all of {@code wait}
     */
    public Optional<Held> acquire(String source, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(true);
            try (PreparedStatement name = connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                String label = "testum reconcile " + source + ": " + identity;
                name.setString(1, label.length() <= 63 ? label : label.substring(0, 63));
                name.execute();
            }
            while (true) {
                if (tryLock(connection, source)) {
                    Held held = new Held(connection);
                    connection = null;
                    return Optional.of(held);
                }
                if (System.nanoTime() >= deadline) {
                    return Optional.empty();
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the reconcile lock of GitOps source '" + source + "': the database "
                    + "answered " + e.getSQLState(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the session ends either way
                }
            }
        }
    }

    private static boolean tryLock(Connection connection, String source) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))")) {
            s.setString(1, NAMESPACE);
            s.setString(2, source);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
