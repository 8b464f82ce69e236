package io.testum.gitops;

import java.util.List;

import io.testum.deploy.UnmanagedMode;
import io.testum.gitops.DesiredDocument.Drift;
import io.testum.gitops.DesiredDocument.Settings;

/** The {@code settings} section; each setting left out keeps its default ({@link Settings#DEFAULTS}). */
final class SettingsSection {

    static final List<String> FIELDS = List.of("prune", "allow_empty", "drift", "unmanaged");

    private SettingsSection() {
    }

    static Settings read(Fields fields) {
        fields.rejectUnknown(FIELDS);
        Boolean prune = fields.bool("prune");
        Boolean allowEmpty = fields.bool("allow_empty");
        return new Settings(
                prune == null ? Settings.DEFAULTS.prune() : prune,
                allowEmpty == null ? Settings.DEFAULTS.allowEmpty() : allowEmpty,
                drift(fields), unmanaged(fields));
    }

    private static UnmanagedMode unmanaged(Fields fields) {
        String unmanaged = fields.text("unmanaged");
        if (unmanaged == null) {
            return Settings.DEFAULTS.unmanaged();
        }
        return switch (unmanaged) {
            case "keep" -> UnmanagedMode.KEEP;
            case "report" -> UnmanagedMode.REPORT;
            case "remove" -> UnmanagedMode.REMOVE;
            default -> {
                fields.invalid("unmanaged", "must be keep (leave keys outside the managed block alone), report (also "
                        + "audit each one found) or remove (remove them at the next deployment), found '" + unmanaged + "'");
                yield Settings.DEFAULTS.unmanaged();
            }
        };
    }

    private static Drift drift(Fields fields) {
        String drift = fields.text("drift");
        if (drift == null) {
            return Settings.DEFAULTS.drift();
        }
        return switch (drift) {
            case "repair" -> Drift.REPAIR;
            case "report" -> Drift.REPORT;
            default -> {
                fields.invalid("drift", "must be repair (rewrite what drifted) or report (mark it drifted, "
                        + "change nothing), found '" + drift + "'");
                yield Settings.DEFAULTS.drift();
            }
        };
    }
}
