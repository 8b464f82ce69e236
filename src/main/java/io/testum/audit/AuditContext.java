package io.testum.audit;

import java.util.LinkedHashMap;
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

    public void actor(String actor) {
        this.actor = actor;
    }

    public void target(String target) {
        this.target = target;
    }

    public void detail(String key, Object value) {
        details.put(key, value);
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
