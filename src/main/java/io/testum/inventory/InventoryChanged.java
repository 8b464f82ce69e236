package io.testum.inventory;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A CDI event: platforms, keys, credentials or access grants changed, and the change is
 * committed. Whoever derives state from the inventory (the deployments) observes it; whoever
 * changes the inventory fires it, either by hand after its own transaction or through
 * {@link ChangesInventory} on a service method.
 *
 * @param what  the kinds of objects that changed
 * @param cause who or what made the change, for the access history; null when nobody can tell
 */
public record InventoryChanged(Set<What> what, Cause cause) {

    /** The kinds of inventory objects. */
    public enum What {
        PLATFORMS, KEYS, CREDENTIALS, GRANTS
    }

    /** {@link Cause#source()} of a change made through the API or the web UI. */
    public static final String API = "api";
    /** {@link Cause#source()} of a one-shot import from a Git repository. */
    public static final String IMPORT = "import";
    /** {@link Cause#source()} of a restore from a backup. */
    public static final String RESTORE = "restore";
    /** {@link Cause#source()} of grants that reached their {@code expires} time. */
    public static final String EXPIRY = "expiry";

    /**
     * What made a change: a GitOps source at a revision, a person or token through the API (with
     * the request, as the audit log has it), an import or restore, or grants that expired.
     *
     * @param source   a GitOps source's name, or {@link #API}, {@link #IMPORT}, {@link #RESTORE}, {@link #EXPIRY}
     * @param revision the Git commit, for a source or an import; else null
     * @param actor    the signed-in user who made it, or null
     * @param request  {@code METHOD /path} of the call that made it, or null
     * @param grants   the grants that expired, for {@link #EXPIRY}; else empty
     * @param at       when the change was made
     */
    public record Cause(String source, String revision, String actor, String request, List<String> grants, Instant at) {

        public Cause {
            grants = grants == null ? List.of() : List.copyOf(grants);
        }

        public static Cause gitops(String source, String revision) {
            return new Cause(source, revision, null, null, List.of(), Instant.now());
        }

        public static Cause expiry(List<String> grants) {
            return new Cause(EXPIRY, null, null, null, grants, Instant.now());
        }
    }

    public InventoryChanged {
        what = Set.copyOf(what);
    }

    /** A change nobody is named for. */
    public InventoryChanged(Set<What> what) {
        this(what, null);
    }

    public static InventoryChanged of(What first, What... rest) {
        return new InventoryChanged(EnumSet.of(first, rest));
    }

    /** Any kind may have changed: a GitOps apply or a restore. */
    public static InventoryChanged everything() {
        return everything(null);
    }

    /** Any kind may have changed, for {@code cause}. */
    public static InventoryChanged everything(Cause cause) {
        return new InventoryChanged(EnumSet.allOf(What.class), cause);
    }
}
