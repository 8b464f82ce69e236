package io.testum.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;

/**
 * What a resource adds to the audit entry of its call: the actor when nobody is signed in yet
 * (a login names the user it tried), the target when the path does not name it, details.
 */
@RequestScoped
public class AuditContext {

    private String actor;
    private String target;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<Also> also = new ArrayList<>();

    /** Another change the call made, audited as an entry of its own with the call's actor and outcome. */
    record Also(String action, String target, Map<String, Object> details) {
    }

    public void actor(String actor) {
        this.actor = actor;
    }

    public void target(String target) {
        this.target = target;
    }

    public void detail(String key, Object value) {
        details.put(key, value);
    }

    /**
     * Records that the call also made another change, e.g. a platform created with its password also
     * imports a credential; the entry is written only when the call succeeds.
     */
    public void also(String action, String target, Map<String, Object> details) {
        also.add(new Also(action, target, Map.copyOf(details)));
    }

    List<Also> also() {
        return also;
    }

    String actor() {
        return actor;
    }

    String target() {
        return target;
    }

    Map<String, Object> details() {
        return details;
    }
}
