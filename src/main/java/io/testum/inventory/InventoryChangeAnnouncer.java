package io.testum.inventory;

import java.util.EnumSet;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.smallrye.mutiny.Uni;

/**
 * Fires {@link InventoryChanged} after a {@link ChangesInventory} method's {@code Uni} succeeded.
 * A marked method runs its writes in {@code pool.withTransaction(...)}, whose {@code Uni} emits
 * only once the transaction has committed (and fails when it rolled back), so the event follows the
 * commit: an observer that reads the database sees the change. Its priority keeps it outside any
 * interceptor of the application's range, so it sees the method's final outcome.
 * The event names the signed-in caller and the call as its cause, taken when the method is called.
 */
@ChangesInventory({})
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
class InventoryChangeAnnouncer {

    private final Event<InventoryChanged> events;
    private final ChangeCauses causes;

    @Inject
    InventoryChangeAnnouncer(Event<InventoryChanged> events, ChangeCauses causes) {
        this.events = events;
        this.causes = causes;
    }

    @AroundInvoke
    Object announce(InvocationContext context) throws Exception {
        InventoryChanged.Cause cause = causes.ofRequest(InventoryChanged.API, null);
        Object result = context.proceed();
        ChangesInventory marked = context.getMethod().getAnnotation(ChangesInventory.class);
        if (marked == null) {
            marked = context.getMethod().getDeclaringClass().getAnnotation(ChangesInventory.class);
        }
        EnumSet<InventoryChanged.What> what = EnumSet.noneOf(InventoryChanged.What.class);
        what.addAll(List.of(marked == null ? InventoryChanged.What.values() : marked.value()));
        InventoryChanged event = new InventoryChanged(what.isEmpty() ? EnumSet.allOf(InventoryChanged.What.class) : what,
                cause);
        if (result instanceof Uni<?> uni) {
            return uni.invoke(() -> events.fire(event));
        }
        events.fire(event);
        return result;
    }
}
