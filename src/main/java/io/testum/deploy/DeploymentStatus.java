package io.testum.deploy;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The state of one (platform, account) pair's managed block: the one place each state is mapped to
 * its word in the API, the database ({@code deployments.status}) and the UI.
 */
public enum DeploymentStatus {
    /** The host's block is the desired one. */
    IN_SYNC("in_sync"),
    /** The desired block changed and is not deployed yet. */
    PENDING("pending"),
    /** The host's block differs from the deployed one, and the source only reports drift. */
    DRIFTED("drifted"),
    /** The deployment failed (or is held back: see {@link DeploymentHold}). */
    FAILED("failed"),
    /** The host could not be reached. */
    UNREACHABLE("unreachable"),
    /** The host presented another key than the pinned or declared one. */
    HOST_KEY_MISMATCH("host_key_mismatch");

    /** The states a deployment run tries again. */
    public static final Set<DeploymentStatus> RETRIED = Set.of(PENDING, FAILED, UNREACHABLE);
    /** The states of a block that is on the host, as deployed or drifted from it. */
    public static final Set<DeploymentStatus> DEPLOYED = Set.of(IN_SYNC, DRIFTED);

    private final String wire;

    DeploymentStatus(String wire) {
        this.wire = wire;
    }

    /** The word the API, the database and the UI use. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The state a stored or sent word stands for. */
    @JsonCreator
    public static DeploymentStatus of(String wire) {
        for (DeploymentStatus status : values()) {
            if (status.wire.equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not a deployment status");
    }

    /** Every word, in declaration order (for filters and their errors). */
    public static List<String> words() {
        return java.util.Arrays.stream(values()).map(DeploymentStatus::wire).toList();
    }
}
