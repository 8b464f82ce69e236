package io.testum.inventory;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Marks a service method that changes the inventory and returns a {@code Uni}: once that
 * {@code Uni} succeeds, after the method's transaction has committed, an {@link InventoryChanged}
 * event is fired. A method that fails fires nothing.
 */
@InterceptorBinding
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface ChangesInventory {

    /** What the method changes. */
    @Nonbinding
    InventoryChanged.What[] value();
}
