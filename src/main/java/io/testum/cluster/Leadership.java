package io.testum.cluster;

import java.util.Optional;

/**
 * Which replica reconciles GitOps sources and checks drift. Every replica serves the API; one
 * leads. Implementations: a Kubernetes Lease, a PostgreSQL advisory lock, or none (a single node).
 */
public interface Leadership {

    /** Whether this replica leads now. Asked before each step that only the leader may take. */
    boolean isLeader();

    /** {@code kubernetes}, {@code postgres} or {@code none}. */
    String mode();

    /** This replica's name. */
    String identity();

    /** The leader's name, when known. */
    Optional<String> leader();
}
