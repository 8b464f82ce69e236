package io.testum.cluster;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Chooses how leadership is decided ({@code testum.leader-election}): {@code kubernetes} (a Lease),
 * {@code postgres} (an advisory lock), {@code none} (this replica always leads), or {@code auto}:
 * Kubernetes inside a pod, else PostgreSQL.
 */
@ApplicationScoped
public class LeadershipProducer {

    private static final Logger LOG = Logger.getLogger(LeadershipProducer.class);

    @Produces
    @ApplicationScoped
    Leadership leadership(ClusterConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            KubernetesApi kubernetes) {
        String mode = config.leaderElection();
        Duration lease = config.leaderLeaseDuration();
        String chosen = "auto".equals(mode) ? (System.getenv("KUBERNETES_SERVICE_HOST") != null ? "kubernetes" : "postgres") : mode;
        String identity = Identity.current();
        LOG.infof("Leader election: %s (identity %s)", chosen, identity);
        return switch (chosen) {
            case "kubernetes" -> new KubernetesLeadership(kubernetes, identity, lease);
            case "postgres" -> new PostgresLeadership(jdbcUrl, user.orElse(null), password.orElse(null), identity,
                    Duration.ofSeconds(2));
            case "none" -> new SingleNode(identity);
            default -> throw new IllegalStateException("testum.leader-election must be auto, kubernetes, postgres or none, not '"
                    + mode + "'");
        };
    }

    void close(@Disposes Leadership leadership) throws Exception {
        if (leadership instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** One replica: it always leads. */
    record SingleNode(String identity) implements Leadership {
        @Override
        public boolean isLeader() {
            return true;
        }

        @Override
        public String mode() {
            return "none";
        }

        @Override
        public Optional<String> leader() {
            return Optional.of(identity);
        }
    }
}
