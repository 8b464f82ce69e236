package io.testum.gitops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.testum.inventory.PlatformRequest;
import io.testum.inventory.PlatformRules;
import io.testum.keys.AccessGrantRequest;
import io.testum.runs.RunRequest;
import io.testum.schedules.ScheduleView;

/**
 * The comparable form of each inventory kind: what a document says and what the database holds
 * are turned into these, and equal specs mean "unchanged".
 */
final class Specs {

    private Specs() {
    }

    record KeySpec(String name, String publicKey, String description) {
    }

    record CredentialSpec(String name, String secretRef, String description) {
    }

    record PlatformSpec(String name, String host, int port, String username, String authMethod, String credential,
            String hostKey, Map<String, String> labels, String path, String mode, String description) {

        static PlatformSpec of(PlatformRequest r) {
            return new PlatformSpec(r.name(), r.host(), r.port() == null ? PlatformRules.DEFAULT_PORT : r.port(), r.username(),
                    r.authMethod(), r.credential(), r.hostKey(), sorted(r.labels()),
                    Objects.requireNonNullElse(r.authorizedKeysPath(), PlatformRules.DEFAULT_AUTHORIZED_KEYS_PATH),
                    Objects.requireNonNullElse(r.authorizedKeysMode(), PlatformRules.MODE_MERGE), r.description());
        }
    }

    record GrantSpec(String name, List<String> keys, List<String> platforms, Map<String, String> selector, String user,
            String options, Instant expires, String description) {

        static GrantSpec of(AccessGrantRequest r) {
            Map<String, String> selector = r.selector() == null || r.selector().isEmpty() ? null : sorted(r.selector());
            String options = r.options() == null || r.options().isBlank() ? null : r.options().strip();
            return new GrantSpec(r.name(), sortedList(r.keys()), sortedList(r.platforms()), selector, r.user(), options,
                    r.expires(), r.description());
        }
    }

    /** A schedule as compared: what fires when, and what it runs where; never its environment. */
    record ScheduleSpec(String name, String cron, String timezone, String command, String script, String interpreter,
            List<String> args, List<String> platforms, Map<String, String> selector, Integer timeoutSeconds,
            Integer concurrency, Integer maxFailures, String misfire, boolean enabled) {

        static ScheduleSpec of(ScheduleView v) {
            RunRequest.Targets t = v.targets();
            List<String> platforms = t == null || t.platforms() == null ? List.of() : List.copyOf(t.platforms());
            return new ScheduleSpec(v.name(), v.cron(), v.timezone(), v.command(), v.script(), v.interpreter(), v.args(),
                    platforms, t == null ? Map.of() : sorted(t.selector()), v.timeoutSeconds(), v.concurrency(),
                    v.maxFailures(), v.misfire(), v.enabled());
        }
    }

    /** A spec as stored, with its owner. */
    record Owned<T>(T spec, String source, String revision) {
    }

    static Map<String, String> sorted(Map<String, String> map) {
        return map == null ? Map.of() : new TreeMap<>(map);
    }

    static List<String> sortedList(List<String> list) {
        return list == null ? List.of() : list.stream().sorted().distinct().toList();
    }
}
