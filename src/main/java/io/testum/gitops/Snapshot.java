package io.testum.gitops;

import java.util.Map;

import io.testum.alerts.AlertDirectory;

/**
 * The inventory in the database, as the planner compares it with a document: every object of
 * every owner, by name.
 *
 * @param credentialKinds {@code key}, {@code password}, or absent for a placeholder
 * @param fingerprints    key fingerprint to key name
 */
record Snapshot(Map<String, Specs.Owned<Specs.KeySpec>> keys, Map<String, String> fingerprints,
        Map<String, Specs.Owned<Specs.CredentialSpec>> credentials, Map<String, String> credentialKinds,
        Map<String, Specs.Owned<Specs.PlatformSpec>> platforms, Map<String, Specs.Owned<Specs.GrantSpec>> grants,
        Map<String, Specs.Owned<Specs.ScheduleSpec>> schedules, Map<String, Specs.Owned<AlertDirectory.Spec>> alerts) {

    /** An inventory without alerts. */
    Snapshot(Map<String, Specs.Owned<Specs.KeySpec>> keys, Map<String, String> fingerprints,
            Map<String, Specs.Owned<Specs.CredentialSpec>> credentials, Map<String, String> credentialKinds,
            Map<String, Specs.Owned<Specs.PlatformSpec>> platforms, Map<String, Specs.Owned<Specs.GrantSpec>> grants,
            Map<String, Specs.Owned<Specs.ScheduleSpec>> schedules) {
        this(keys, fingerprints, credentials, credentialKinds, platforms, grants, schedules, Map.of());
    }

    /** An inventory without schedules. */
    Snapshot(Map<String, Specs.Owned<Specs.KeySpec>> keys, Map<String, String> fingerprints,
            Map<String, Specs.Owned<Specs.CredentialSpec>> credentials, Map<String, String> credentialKinds,
            Map<String, Specs.Owned<Specs.PlatformSpec>> platforms, Map<String, Specs.Owned<Specs.GrantSpec>> grants) {
        this(keys, fingerprints, credentials, credentialKinds, platforms, grants, Map.of());
    }
}
