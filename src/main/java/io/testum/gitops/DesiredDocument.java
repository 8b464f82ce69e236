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
        List<AccessEntry> access, Settings settings) {

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
    }

    /** An entry of {@code ssh_keys}. */
    public record KeyEntry(String name, String publicKey, String description, PublicKeyInfo parsed, Where where) {
    }

    /** An entry of {@code credentials}: a name (and optionally a Kubernetes Secret), never a secret. */
    public record CredentialEntry(String name, String secretRef, String description, Where where) {
    }

    /** An entry of {@code platforms}, with {@code ssh_key_name} read as {@code credential}. */
    public record PlatformEntry(PlatformRequest request, Where where) {
    }

    /** An entry of {@code access}. */
    public record AccessEntry(AccessGrantRequest request, Where where) {
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
     */
    public record Settings(boolean prune, boolean allowEmpty, Drift drift) {
        public static final Settings DEFAULTS = new Settings(true, false, Drift.REPAIR);
    }
}
