package io.testum.gitops;

import java.util.List;
import java.util.Map;

import io.testum.inventory.PlatformRequest;
import io.testum.keys.AccessGrantRequest;
import io.testum.ssh.PublicKeyInfo;

/**
 * A desired-state document (SPEC §3) as parsed and checked by {@link DocumentParser}: every entry
 * knows where it was written, and where each of its fields was, so that later checks (references,
 * ownership) can point at file:line:column too.
 */
public record DesiredDocument(List<KeyEntry> keys, List<CredentialEntry> credentials, List<PlatformEntry> platforms,
        List<AccessEntry> access, Settings settings, List<SourceEntry> sources, List<ScheduleEntry> schedules,
        List<AlertEntry> alerts) {

    /** A document without an {@code alerts} section. */
    public DesiredDocument(List<KeyEntry> keys, List<CredentialEntry> credentials, List<PlatformEntry> platforms,
            List<AccessEntry> access, Settings settings, List<SourceEntry> sources, List<ScheduleEntry> schedules) {
        this(keys, credentials, platforms, access, settings, sources, schedules, List.of());
    }

    /** A document without a {@code schedules} section. */
    public DesiredDocument(List<KeyEntry> keys, List<CredentialEntry> credentials, List<PlatformEntry> platforms,
            List<AccessEntry> access, Settings settings, List<SourceEntry> sources) {
        this(keys, credentials, platforms, access, settings, sources, List.of());
    }

    /** A document without a {@code sources} section, as a GitOps source's document usually is. */
    public DesiredDocument(List<KeyEntry> keys, List<CredentialEntry> credentials, List<PlatformEntry> platforms,
            List<AccessEntry> access, Settings settings) {
        this(keys, credentials, platforms, access, settings, List.of());
    }

    /** A place in a file: 1-based line and column. */
    public record Location(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    /**
     * Where an entry and its fields were written.
     *
     * @param entry  the start of the entry (its list item)
     * @param fields the value of each field present, by field name ({@code credential}, {@code keys[1]},
     *               {@code labels.env}, ...)
     */
    public record Where(Location entry, Map<String, Location> fields) {

        /** The field's location, or the entry's when the field is absent. */
        public Location of(String field) {
            return fields.getOrDefault(field, entry);
        }

        /**
         * The location of {@code field}, else of the nearest enclosing field ({@code targets} for
         * {@code targets.platforms[2]}), else of the entry.
         */
        public Location nearest(String field) {
            String path = field;
            while (!fields.containsKey(path)) {
                int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
                if (cut <= 0) {
                    return entry;
                }
                path = path.substring(0, cut);
            }
            return fields.get(path);
        }
    }

    /** An entry of {@code ssh_keys}. */
    public record KeyEntry(String name, String publicKey, String description, PublicKeyInfo parsed, Where where) {
    }

    /** An entry of {@code credentials}: a name (and optionally a Kubernetes Secret), never a secret. */
    public record CredentialEntry(String name, String secretRef, String description, Where where) {
    }

    /**
     * An entry of {@code platforms}, with {@code ssh_key_name} read as {@code credential}.
     *
     * @param earlierCredentialName the credential was named with the earlier format's {@code ssh_key_name}: a
     *                              name defined nowhere then stands for a credential placeholder of that name
     */
    public record PlatformEntry(PlatformRequest request, Where where, boolean earlierCredentialName) {

        public PlatformEntry(PlatformRequest request, Where where) {
            this(request, where, false);
        }
    }

    /** An entry of {@code schedules}: a run that fires on its own; never an environment. */
    public record ScheduleEntry(io.testum.schedules.ScheduleRequest request, Where where) {
    }

    /**
     * An entry of {@code alerts}: where to send which events; never a signing secret.
     *
     * @param url null when the document leaves the URL to the API
     */
    public record AlertEntry(String name, String type, String url, List<String> events, Map<String, String> selector,
            Boolean enabled, Where where) {

        @Override
        public String toString() {
            return "AlertEntry[name=" + name + ", type=" + type + ", events=" + events + "]";
        }
    }

    /** An entry of {@code access}. */
    public record AccessEntry(AccessGrantRequest request, Where where) {
    }

    /**
     * An entry of {@code sources}: a GitOps source as a backup records it, without its token or webhook
     * secret. Only a restore ({@code POST /api/backup/import}) acts on it; a GitOps source's own
     * reconcile checks and ignores the section.
     *
     * @param interval as written ({@code 60s}, {@code 5m}); null for the default
     * @param revision the revision the source had applied when the backup was made, if any
     * @param manages  the names of the objects of this document that the source managed, by section
     *                 ({@code platforms}, {@code ssh_keys}, {@code credentials}, {@code access})
     */
    public record SourceEntry(String name, String url, String branch, String path, String interval, Boolean prune,
            Boolean suspended, String username, String credential, String hostKey, String revision,
            Map<String, List<String>> manages,
            Where where) {
    }

    /** What to do about drift on the hosts of this source. */
    public enum Drift {
        REPAIR, REPORT
    }

    /**
     * The {@code settings} section.
     *
     * @param prune      delete git-managed objects that left the document (default true)
     * @param allowEmpty accept a revision that would delete every platform or every key (default false)
     * @param drift      repair or only report drift (default repair)
     * @param unmanaged  keep, report or remove keys outside the managed block (default keep)
     */
    public record Settings(boolean prune, boolean allowEmpty, Drift drift, io.testum.deploy.UnmanagedMode unmanaged) {
        public static final Settings DEFAULTS = new Settings(true, false, Drift.REPAIR, io.testum.deploy.UnmanagedMode.KEEP);
    }
}
