package io.testum.gitops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What applying a document changes, per kind: names created, updated and deleted (pruned), and
 * how many stay as they are.
 */
public record Plan(KindPlan credential, KindPlan sshKey, KindPlan platform, KindPlan access, KindPlan schedule,
        KindPlan alert, List<String> notes) {

    /** A plan without alerts. */
    public Plan(KindPlan credential, KindPlan sshKey, KindPlan platform, KindPlan access, KindPlan schedule,
            List<String> notes) {
        this(credential, sshKey, platform, access, schedule, KindPlan.NONE, notes);
    }

    /** A plan without notes. */
    public Plan(KindPlan credential, KindPlan sshKey, KindPlan platform, KindPlan access) {
        this(credential, sshKey, platform, access, KindPlan.NONE, KindPlan.NONE, List.of());
    }

    /** One kind's changes. */
    public record KindPlan(List<String> created, List<String> updated, List<String> deleted, int unchanged) {

        /** Nothing of the kind, in the document or in testum. */
        public static final KindPlan NONE = new KindPlan(List.of(), List.of(), List.of(), 0);

        public boolean changes() {
            return !created.isEmpty() || !updated.isEmpty() || !deleted.isEmpty();
        }

        /** {@code +created ~updated -deleted =unchanged}, for a log line. */
        String counts() {
            return "+" + created.size() + " ~" + updated.size() + " -" + deleted.size() + " =" + unchanged;
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("created", created);
            map.put("updated", updated);
            map.put("deleted", deleted);
            map.put("unchanged", unchanged);
            return map;
        }
    }

    public boolean changes() {
        return credential.changes() || sshKey.changes() || platform.changes() || access.changes() || schedule.changes()
                || alert.changes();
    }

    /** Counts per kind, for a log line (the names can be thousands). */
    public String summary() {
        return "platforms " + platform.counts() + ", keys " + sshKey.counts() + ", credentials " + credential.counts()
                + ", access " + access.counts() + (schedule.equals(KindPlan.NONE) ? "" : ", schedules " + schedule.counts())
                + (alert.equals(KindPlan.NONE) ? "" : ", alerts " + alert.counts());
    }

    /**
     * As the API shows it: {@code {"platform": {...}, "ssh_key": {...}, "credential": {...}, "access": {...}}},
     * {@code "schedule": {...}} when the document or the source has schedules, {@code "alert": {...}} when
     * it has alerts, and {@code "notes": [...]}
     * when applying it does something a reader should know about.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("platform", platform.toMap());
        map.put("ssh_key", sshKey.toMap());
        map.put("credential", credential.toMap());
        map.put("access", access.toMap());
        if (!schedule.equals(KindPlan.NONE)) {
            map.put("schedule", schedule.toMap());
        }
        if (!alert.equals(KindPlan.NONE)) {
            map.put("alert", alert.toMap());
        }
        if (!notes.isEmpty()) {
            map.put("notes", notes);
        }
        return map;
    }
}
