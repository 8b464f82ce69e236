package io.testum.gitops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.nodes.Node;

import io.testum.gitops.DesiredDocument.AccessEntry;
import io.testum.gitops.DesiredDocument.AlertEntry;
import io.testum.gitops.DesiredDocument.CredentialEntry;
import io.testum.gitops.DesiredDocument.KeyEntry;
import io.testum.gitops.DesiredDocument.Location;
import io.testum.gitops.DesiredDocument.PlatformEntry;
import io.testum.gitops.DesiredDocument.ScheduleEntry;
import io.testum.gitops.DesiredDocument.Settings;
import io.testum.gitops.DesiredDocument.SourceEntry;

/**
 * Merges the entries of every file into one document, in the order read, and refuses what may be
 * declared only once across all files: a name within a kind, a public key, the settings.
 */
final class DocumentBuilder {

    private final Problems problems;
    private final List<KeyEntry> keys = new ArrayList<>();
    private final List<CredentialEntry> credentials = new ArrayList<>();
    private final List<PlatformEntry> platforms = new ArrayList<>();
    private final List<AccessEntry> access = new ArrayList<>();
    private final List<SourceEntry> sources = new ArrayList<>();
    private final List<ScheduleEntry> schedules = new ArrayList<>();
    private final List<AlertEntry> alerts = new ArrayList<>();
    private final Map<String, Location> keyNames = new HashMap<>();
    private final Map<String, Location> credentialNames = new HashMap<>();
    private final Map<String, Location> platformNames = new HashMap<>();
    private final Map<String, Location> grantNames = new HashMap<>();
    private final Map<String, Location> sourceNames = new HashMap<>();
    private final Map<String, Location> scheduleNames = new HashMap<>();
    private final Map<String, Location> alertNames = new HashMap<>();
    private final Map<String, KeyEntry> fingerprints = new HashMap<>();
    private final int maxObjects;
    private int objects;
    private Settings settings;
    private Location settingsAt;

    DocumentBuilder(Problems problems, int maxObjects) {
        this.problems = problems;
        this.maxObjects = maxObjects;
    }

    /**
     * Counts one more entry, {@code item} of {@code file}; false, with one problem at the first entry beyond it,
     * once the document holds more than the limit. The entries beyond are not read.
     */
    boolean admit(String file, Node item) {
        objects++;
        if (objects == maxObjects + 1) {
            problems.add(Problems.at(file, item), "the document declares more than " + maxObjects + " objects (ssh_keys, credentials, platforms, "
                    + "access, schedules, alerts and sources together); this is the first beyond the limit "
                    + "(testum.gitops.max-document-objects): split the inventory across sources, or raise the limit");
        }
        return objects <= maxObjects;
    }

    void add(KeyEntry key, Fields fields) {
        keys.add(key);
        claim(keyNames, "key", key.name(), fields);
        if (key.parsed() != null) {
            String fingerprint = key.parsed().fingerprint();
            KeyEntry first = fingerprints.putIfAbsent(fingerprint, key);
            if (first != null) {
                fields.error(key.where().of("public_key"), "public_key: is the same key (" + fingerprint + ") as key '"
                        + first.name() + "' at " + first.where().entry() + "; list each public key once");
            }
        }
    }

    void add(CredentialEntry credential, Fields fields) {
        credentials.add(credential);
        claim(credentialNames, "credential", credential.name(), fields);
    }

    void add(PlatformEntry platform, Fields fields) {
        platforms.add(platform);
        claim(platformNames, "platform", platform.request().name(), fields);
    }

    void add(AccessEntry grant, Fields fields) {
        access.add(grant);
        claim(grantNames, "access grant", grant.request().name(), fields);
    }

    void add(ScheduleEntry schedule, Fields fields) {
        schedules.add(schedule);
        claim(scheduleNames, "schedule", schedule.request().name(), fields);
    }

    void add(AlertEntry alert, Fields fields) {
        alerts.add(alert);
        claim(alertNames, "alert", alert.name(), fields);
    }

    void add(SourceEntry source, Fields fields) {
        sources.add(source);
        claim(sourceNames, "source", source.name(), fields);
    }

    /** Takes the settings section written at {@code at}; a second one, in any file, is a problem. */
    void settings(Settings section, Location at) {
        if (settingsAt != null) {
            problems.add(at, "settings: are already given at " + settingsAt
                    + "; only one file may hold settings: merge the two sections");
            return;
        }
        settings = section;
        settingsAt = at;
    }

    DesiredDocument build() {
        return new DesiredDocument(List.copyOf(keys), List.copyOf(credentials), List.copyOf(platforms),
                List.copyOf(access), settings == null ? Settings.DEFAULTS : settings, List.copyOf(sources),
                List.copyOf(schedules), List.copyOf(alerts));
    }

    /** Records {@code name} as defined by this entry, or a problem when an earlier entry defined it. */
    private static void claim(Map<String, Location> names, String kind, String name, Fields fields) {
        if (name == null || name.isBlank()) {
            return;
        }
        Location first = names.putIfAbsent(name, fields.entry());
        if (first != null) {
            fields.error(fields.entry(), kind + " '" + name + "' is already defined at " + first
                    + "; a name may be used once, in one file");
        }
    }
}
