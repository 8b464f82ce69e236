package io.testum.inventory;

import java.util.EnumSet;
import java.util.Set;

/**
 * A CDI event: platforms, keys, credentials or access grants changed, and the change is
 * committed. Whoever derives state from the inventory (the deployments) observes it; whoever
 * changes the inventory fires it, either by hand after its own transaction or through
 * {@link ChangesInventory} on a service method.
 *
 * @param what the kinds of objects that changed
 */
public record InventoryChanged(Set<What> what) {

    /** The kinds of inventory objects. */
    public enum What {
        PLATFORMS, KEYS, CREDENTIALS, GRANTS
    }

    public InventoryChanged {
        what = Set.copyOf(what);
    }

    public static InventoryChanged of(What first, What... rest) {
        return new InventoryChanged(EnumSet.of(first, rest));
    }

    /** Any kind may have changed: a GitOps apply or a restore. */
    public static InventoryChanged everything() {
        return new InventoryChanged(EnumSet.allOf(What.class));
    }
}
