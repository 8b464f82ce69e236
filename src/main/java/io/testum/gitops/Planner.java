package io.testum.gitops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import io.testum.common.FieldError;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.alerts.AlertDirectory;
import io.testum.gitops.DesiredDocument.Location;
import io.testum.schedules.ScheduleDirectory;
import io.testum.schedules.ScheduleRequest;

/**
 * Compares a checked document with the database and says what applying it would change, or why it
 * cannot be applied: an object owned by someone else, a reference to nothing, a deletion that
 * would break another owner's object, or a revision that would empty the source. Pure: no I/O.
 */
final class Planner {

    private Planner() {
    }

    /** Everything {@link InventoryStore#apply} needs. */
    record Changes(String source, Map<String, DesiredDocument.KeyEntry> keys, Map<String, Specs.CredentialSpec> credentials,
            Map<String, Specs.PlatformSpec> platforms, Map<String, Specs.GrantSpec> grants, Set<String> deletedKeys,
            Set<String> deletedCredentials, Set<String> deletedPlatforms, Set<String> deletedGrants,
            Map<String, ScheduleRequest> schedules, Set<String> deletedSchedules, Map<String, AlertDirectory.Write> alerts,
            Set<String> deletedAlerts) {

        /** Changes without alerts. */
        Changes(String source, Map<String, DesiredDocument.KeyEntry> keys, Map<String, Specs.CredentialSpec> credentials,
                Map<String, Specs.PlatformSpec> platforms, Map<String, Specs.GrantSpec> grants, Set<String> deletedKeys,
                Set<String> deletedCredentials, Set<String> deletedPlatforms, Set<String> deletedGrants,
                Map<String, ScheduleRequest> schedules, Set<String> deletedSchedules) {
            this(source, keys, credentials, platforms, grants, deletedKeys, deletedCredentials, deletedPlatforms, deletedGrants,
                    schedules, deletedSchedules, Map.of(), Set.of());
        }

        /** Changes without schedules. */
        Changes(String source, Map<String, DesiredDocument.KeyEntry> keys, Map<String, Specs.CredentialSpec> credentials,
                Map<String, Specs.PlatformSpec> platforms, Map<String, Specs.GrantSpec> grants, Set<String> deletedKeys,
                Set<String> deletedCredentials, Set<String> deletedPlatforms, Set<String> deletedGrants) {
            this(source, keys, credentials, platforms, grants, deletedKeys, deletedCredentials, deletedPlatforms, deletedGrants,
                    Map.of(), Set.of());
        }

        boolean isEmpty() {
            return keys.isEmpty() && credentials.isEmpty() && platforms.isEmpty() && grants.isEmpty() && deletedKeys.isEmpty()
                    && deletedCredentials.isEmpty() && deletedPlatforms.isEmpty() && deletedGrants.isEmpty()
                    && schedules.isEmpty() && deletedSchedules.isEmpty() && alerts.isEmpty() && deletedAlerts.isEmpty();
        }
    }

    /** The rules of a schedule that depend on configuration (limits of a run): problems by field. */
    @FunctionalInterface
    interface ScheduleRules {
        /** No rules beyond the document's own: for callers that never plan schedules. */
        ScheduleRules NONE = (request, violations) -> {
        };

        void check(ScheduleRequest request, Violations violations);
    }

    /** The rule of an alert that depends on configuration (where its URL may point): problems by field. */
    @FunctionalInterface
    interface AlertRules {
        /** No rules beyond the document's own. */
        AlertRules NONE = (url, violations) -> {
        };

        void checkUrl(String url, Violations violations);
    }

    /** A plan, the changes behind it, and the errors that forbid applying it. */
    record Result(Plan plan, Changes changes, List<FieldError> errors) {
    }

    /**
     * The earlier format named the key testum logs in with by {@code ssh_key_name}, and such a name is
     * often defined nowhere in the new sense: it then stands for a credential placeholder of that name,
     * managed by this source, whose secret is sent through the API like any placeholder's. A name the
     * document or another owner defines is a plain reference.
     */
    private static void impliedPlaceholders(DesiredDocument doc, Snapshot db, String source,
            Map<String, DesiredDocument.CredentialEntry> docCredentials, List<String> notes) {
        for (DesiredDocument.PlatformEntry p : doc.platforms()) {
            String name = p.request().credential();
            if (!p.earlierCredentialName() || name == null || docCredentials.containsKey(name)) {
                continue;
            }
            Specs.Owned<Specs.CredentialSpec> stored = db.credentials().get(name);
            if (stored != null && !stored.source().equals(source)) {
                continue;
            }
            docCredentials.put(name, new DesiredDocument.CredentialEntry(name, null,
                    "placeholder for ssh_key_name of platform " + p.request().name(),
                    new DesiredDocument.Where(p.where().of("credential"), Map.of())));
            notes.add("credential '" + name + "' is a placeholder that ssh_key_name of platform '" + p.request().name()
                    + "' stands for (the earlier format); send its private key with POST /api/credentials/import "
                    + "{\"name\": \"" + name + "\", \"private_key\": ...} before testum can log in");
        }
    }

    static Result plan(DesiredDocument doc, Snapshot db, String source) {
        return plan(doc, db, source, ScheduleRules.NONE);
    }

    static Result plan(DesiredDocument doc, Snapshot db, String source, ScheduleRules scheduleRules) {
        return plan(doc, db, source, scheduleRules, AlertRules.NONE);
    }

    /** The plan of {@code doc}, whose schedules {@code scheduleRules} checks and whose alerts {@code alertRules} does. */
    static Result plan(DesiredDocument doc, Snapshot db, String source, ScheduleRules scheduleRules, AlertRules alertRules) {
        List<FieldError> errors = new ArrayList<>();
        Location start = firstLocation(doc);

        Map<String, DesiredDocument.KeyEntry> docKeys = new LinkedHashMap<>();
        doc.keys().forEach(k -> docKeys.put(k.name(), k));
        Map<String, DesiredDocument.CredentialEntry> docCredentials = new LinkedHashMap<>();
        doc.credentials().forEach(c -> docCredentials.put(c.name(), c));
        Map<String, DesiredDocument.PlatformEntry> docPlatforms = new LinkedHashMap<>();
        doc.platforms().forEach(p -> docPlatforms.put(p.request().name(), p));
        Map<String, DesiredDocument.AccessEntry> docGrants = new LinkedHashMap<>();
        doc.access().forEach(a -> docGrants.put(a.request().name(), a));
        Map<String, DesiredDocument.ScheduleEntry> docSchedules = new LinkedHashMap<>();
        doc.schedules().forEach(s -> docSchedules.put(s.request().name(), s));
        Map<String, DesiredDocument.AlertEntry> docAlerts = new LinkedHashMap<>();
        doc.alerts().forEach(a -> docAlerts.put(a.name(), a));

        List<String> notes = new ArrayList<>();
        impliedPlaceholders(doc, db, source, docCredentials, notes);

        ownership("ssh_key", docKeys, k -> k.where().entry(), db.keys(), source, errors);
        ownership("credential", docCredentials, c -> c.where().entry(), db.credentials(), source, errors);
        ownership("platform", docPlatforms, p -> p.where().entry(), db.platforms(), source, errors);
        ownership("access grant", docGrants, a -> a.where().entry(), db.grants(), source, errors);
        ownership("schedule", docSchedules, e -> e.where().entry(), db.schedules(), source, errors);
        ownership("alert", docAlerts, a -> a.where().entry(), db.alerts(), source, errors);

        boolean prune = doc.settings().prune();
        Set<String> deletedKeys = pruned(db.keys(), docKeys.keySet(), source, prune);
        Set<String> deletedCredentials = pruned(db.credentials(), docCredentials.keySet(), source, prune);
        Set<String> deletedPlatforms = pruned(db.platforms(), docPlatforms.keySet(), source, prune);
        Set<String> deletedGrants = pruned(db.grants(), docGrants.keySet(), source, prune);
        Set<String> deletedSchedules = pruned(db.schedules(), docSchedules.keySet(), source, prune);
        Set<String> deletedAlerts = pruned(db.alerts(), docAlerts.keySet(), source, prune);

        Set<String> finalKeys = remaining(db.keys().keySet(), deletedKeys, docKeys.keySet());
        Set<String> finalCredentials = remaining(db.credentials().keySet(), deletedCredentials, docCredentials.keySet());
        Set<String> finalPlatforms = remaining(db.platforms().keySet(), deletedPlatforms, docPlatforms.keySet());

        for (DesiredDocument.PlatformEntry p : doc.platforms()) {
            String credential = p.request().credential();
            if (credential == null) {
                continue;
            }
            Location at = p.where().of("credential");
            if (!finalCredentials.contains(credential)) {
                errors.add(error(at, "platform '" + p.request().name() + "': credential '" + credential
                        + "' is defined neither in the document nor in testum"));
            } else {
                String kind = docCredentials.containsKey(credential) && !db.credentials().containsKey(credential) ? null
                        : db.credentialKinds().get(credential);
                if (kind != null && p.request().authMethod() != null && !kind.equals(p.request().authMethod())) {
                    errors.add(error(at, "platform '" + p.request().name() + "': credential '" + credential + "' holds a "
                            + kind + ", but auth_method is " + p.request().authMethod()));
                }
            }
        }
        for (DesiredDocument.AccessEntry a : doc.access()) {
            List<String> keys = Objects.requireNonNullElse(a.request().keys(), List.of());
            for (int i = 0; i < keys.size(); i++) {
                if (!finalKeys.contains(keys.get(i))) {
                    errors.add(error(a.where().of("keys[" + i + "]"), "access '" + a.request().name() + "': key '" + keys.get(i)
                            + "' is defined neither in the document nor in testum"));
                }
            }
            List<String> platforms = Objects.requireNonNullElse(a.request().platforms(), List.of());
            for (int i = 0; i < platforms.size(); i++) {
                if (!finalPlatforms.contains(platforms.get(i))) {
                    errors.add(error(a.where().of("platforms[" + i + "]"), "access '" + a.request().name() + "': platform '"
                            + platforms.get(i) + "' is defined neither in the document nor in testum"));
                }
            }
        }
        Map<String, Specs.ScheduleSpec> scheduleSpecs = new LinkedHashMap<>();
        for (DesiredDocument.ScheduleEntry e : doc.schedules()) {
            String name = e.request().name();
            Violations violations = new Violations();
            scheduleRules.check(e.request(), violations);
            violations.errors().forEach(v -> errors.add(error(e.where().nearest(v.field()), "schedule '" + name + "': "
                    + v.field() + ": " + v.message())));
            List<String> targets = e.request().targets() == null || e.request().targets().platforms() == null ? List.of()
                    : e.request().targets().platforms();
            for (int i = 0; i < targets.size(); i++) {
                if (!finalPlatforms.contains(targets.get(i))) {
                    errors.add(error(e.where().nearest("targets.platforms[" + i + "]"), "schedule '" + name + "': platform '"
                            + targets.get(i) + "' is defined neither in the document nor in testum"));
                }
            }
            if (violations.isEmpty()) {
                scheduleSpecs.put(name, Specs.ScheduleSpec.of(ScheduleDirectory.normalized(e.request(), source)));
            }
        }
        Map<String, AlertDirectory.Spec> alertSpecs = new LinkedHashMap<>();
        for (DesiredDocument.AlertEntry a : doc.alerts()) {
            Violations violations = new Violations();
            alertRules.checkUrl(a.url(), violations);
            violations.errors().forEach(v -> errors.add(error(a.where().nearest(v.field()), "alert '" + a.name() + "': "
                    + v.field() + ": " + v.message())));
            alertSpecs.put(a.name(), AlertDirectory.spec(a.name(), a.type(), a.url(), a.events(), a.selector(), a.enabled()));
        }
        for (DesiredDocument.KeyEntry k : doc.keys()) {
            String holder = k.parsed() == null ? null : db.fingerprints().get(k.parsed().fingerprint());
            if (holder != null && !holder.equals(k.name()) && !(deletedKeys.contains(holder))
                    && !(docKeys.containsKey(holder))) {
                errors.add(error(k.where().of("public_key"), "ssh_key '" + k.name() + "': this public key is already in "
                        + "testum as key '" + holder + "'"));
            }
        }

        // What a prune would break for other owners.
        db.grants().forEach((name, grant) -> {
            if (grant.source().equals(source)) {
                return;
            }
            grant.spec().keys().stream().filter(deletedKeys::contains).forEach(key -> errors.add(error(start,
                    "ssh_key '" + key + "' left the document and would be deleted, but access grant '" + name + "' ("
                            + owner(grant.source()) + ") still uses it")));
            grant.spec().platforms().stream().filter(deletedPlatforms::contains).forEach(platform -> errors.add(error(start,
                    "platform '" + platform + "' left the document and would be deleted, but access grant '" + name + "' ("
                            + owner(grant.source()) + ") still names it")));
        });
        db.platforms().forEach((name, platform) -> {
            if (!platform.source().equals(source) && deletedCredentials.contains(platform.spec().credential())) {
                errors.add(error(start, "credential '" + platform.spec().credential() + "' left the document and would be "
                        + "deleted, but platform '" + name + "' (" + owner(platform.source()) + ") logs in with it"));
            }
        });

        if (prune && !doc.settings().allowEmpty()) {
            if (docPlatforms.isEmpty() && owns(db.platforms(), source)) {
                errors.add(error(start, "this revision would delete every platform of source '" + source
                        + "'; if that is intended, set settings.allow_empty: true"));
            }
            if (docKeys.isEmpty() && owns(db.keys(), source)) {
                errors.add(error(start, "this revision would delete every ssh_key of source '" + source
                        + "'; if that is intended, set settings.allow_empty: true"));
            }
        }

        Map<String, Specs.KeySpec> keySpecs = new LinkedHashMap<>();
        docKeys.forEach((n, k) -> keySpecs.put(n, new Specs.KeySpec(n, k.parsed() == null ? k.publicKey() : k.parsed().line(),
                k.description())));
        Map<String, Specs.CredentialSpec> credentialSpecs = new LinkedHashMap<>();
        docCredentials.forEach((n, c) -> credentialSpecs.put(n, new Specs.CredentialSpec(n, c.secretRef(), c.description())));
        Map<String, Specs.PlatformSpec> platformSpecs = new LinkedHashMap<>();
        docPlatforms.forEach((n, p) -> platformSpecs.put(n, Specs.PlatformSpec.of(p.request())));
        Map<String, Specs.GrantSpec> grantSpecs = new LinkedHashMap<>();
        docGrants.forEach((n, a) -> grantSpecs.put(n, Specs.GrantSpec.of(a.request())));

        Map<String, DesiredDocument.KeyEntry> changedKeys = new LinkedHashMap<>();
        Plan.KindPlan keyPlan = kind(keySpecs, db.keys(), deletedKeys, n -> changedKeys.put(n, docKeys.get(n)));
        Map<String, Specs.CredentialSpec> changedCredentials = new LinkedHashMap<>();
        Plan.KindPlan credentialPlan = kind(credentialSpecs, db.credentials(), deletedCredentials,
                n -> changedCredentials.put(n, credentialSpecs.get(n)));
        Map<String, Specs.PlatformSpec> changedPlatforms = new LinkedHashMap<>();
        Plan.KindPlan platformPlan = kind(platformSpecs, db.platforms(), deletedPlatforms,
                n -> changedPlatforms.put(n, platformSpecs.get(n)));
        Map<String, Specs.GrantSpec> changedGrants = new LinkedHashMap<>();
        Plan.KindPlan grantPlan = kind(grantSpecs, db.grants(), deletedGrants, n -> changedGrants.put(n, grantSpecs.get(n)));

        Map<String, ScheduleRequest> changedSchedules = new LinkedHashMap<>();
        Plan.KindPlan schedulePlan = kind(scheduleSpecs, db.schedules(), deletedSchedules,
                n -> changedSchedules.put(n, docSchedules.get(n).request()));

        Map<String, AlertDirectory.Write> changedAlerts = new LinkedHashMap<>();
        Plan.KindPlan alertPlan = kind(alertSpecs, db.alerts(), deletedAlerts,
                n -> changedAlerts.put(n, new AlertDirectory.Write(alertSpecs.get(n), docAlerts.get(n).url())));

        Plan plan = new Plan(credentialPlan, keyPlan, platformPlan, grantPlan, schedulePlan, alertPlan, List.copyOf(notes));
        Changes changes = new Changes(source, changedKeys, changedCredentials, changedPlatforms, changedGrants, deletedKeys,
                deletedCredentials, deletedPlatforms, deletedGrants, changedSchedules, deletedSchedules, changedAlerts,
                deletedAlerts);
        return new Result(plan, changes, errors);
    }

    private static <E, S> void ownership(String kind, Map<String, E> entries, Function<E, Location> where,
            Map<String, Specs.Owned<S>> db, String source, List<FieldError> errors) {
        entries.forEach((name, entry) -> {
            Specs.Owned<S> existing = db.get(name);
            if (existing != null && !existing.source().equals(source)) {
                errors.add(error(where.apply(entry), kind + " '" + name + "' is defined here and is also " + owner(existing.source())
                        + (existing.revision() == null ? "" : " at revision " + existing.revision())
                        + "; a source never changes objects it does not own: rename one of them"));
            }
        });
    }

    private static String owner(String source) {
        return Source.API.equals(source) ? "created through the API" : "managed by GitOps source '" + source + "'";
    }

    private static <S> Set<String> pruned(Map<String, Specs.Owned<S>> db, Set<String> inDocument, String source, boolean prune) {
        Set<String> deleted = new HashSet<>();
        if (prune) {
            db.forEach((name, owned) -> {
                if (owned.source().equals(source) && !inDocument.contains(name)) {
                    deleted.add(name);
                }
            });
        }
        return deleted;
    }

    private static Set<String> remaining(Set<String> existing, Set<String> deleted, Set<String> inDocument) {
        Set<String> result = new HashSet<>(existing);
        result.removeAll(deleted);
        result.addAll(inDocument);
        return result;
    }

    private static <S> boolean owns(Map<String, Specs.Owned<S>> db, String source) {
        return db.values().stream().anyMatch(o -> o.source().equals(source));
    }

    private static <S> Plan.KindPlan kind(Map<String, S> doc, Map<String, Specs.Owned<S>> db, Set<String> deleted,
            java.util.function.Consumer<String> changed) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        int unchanged = 0;
        for (var entry : doc.entrySet()) {
            Specs.Owned<S> existing = db.get(entry.getKey());
            if (existing == null) {
                created.add(entry.getKey());
                changed.accept(entry.getKey());
            } else if (!existing.spec().equals(entry.getValue())) {
                updated.add(entry.getKey());
                changed.accept(entry.getKey());
            } else {
                unchanged++;
            }
        }
        return new Plan.KindPlan(created, updated, deleted.stream().sorted().toList(), unchanged);
    }

    private static Location firstLocation(DesiredDocument doc) {
        return doc.platforms().stream().map(p -> p.where().entry()).findFirst()
                .or(() -> doc.keys().stream().map(k -> k.where().entry()).findFirst())
                .or(() -> doc.access().stream().map(a -> a.where().entry()).findFirst())
                .or(() -> doc.credentials().stream().map(c -> c.where().entry()).findFirst())
                .map(l -> new Location(l.file(), 1, 1))
                .orElse(new Location("(document)", 1, 1));
    }

    static FieldError error(Location at, String message) {
        return FieldError.at(at.file(), at.line(), at.column(), message);
    }
}
