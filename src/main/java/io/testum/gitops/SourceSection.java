package io.testum.gitops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.testum.common.Names;
import io.testum.common.Violations;
import io.testum.gitops.DesiredDocument.Location;
import io.testum.gitops.DesiredDocument.SourceEntry;
import io.testum.gitops.DesiredDocument.Where;

/**
 * An entry of {@code sources}, the section a backup adds to the format of SPEC §3: a GitOps source
 * without its secrets, its last applied revision, and the names of the objects it managed. The
 * fields are checked by the API's rules for a new source; a token, password or webhook secret is
 * refused, as secrets have no place in a document.
 */
final class SourceSection {

    static final String MANAGES = "manages";
    static final List<String> FIELDS = List.of("name", "url", "branch", "path", "interval", "prune", "suspended", "username",
            "credential", "host_key", "revision", MANAGES);
    /** The sections whose objects a source can manage, as {@code manages} names them. */
    static final List<String> MANAGED = List.of(TopLevel.PLATFORMS, TopLevel.KEYS, TopLevel.CREDENTIALS, TopLevel.ACCESS);
    private static final List<String> SECRETS = List.of("token", "password", "webhook_secret");
    private static final Pattern REVISION = Pattern.compile("[0-9a-f]{7,64}");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("[a-z+]+://[^/@:]*:[^/@]*@.*");

    private SourceSection() {
    }

    static SourceEntry read(Fields fields) {
        for (String field : fields.unknown(FIELDS)) {
            if (SECRETS.contains(field)) {
                // the value is never read, let alone echoed
                fields.error(fields.keyAt(field), "secret material does not belong in a document: remove '" + field
                        + "' and set it on the restored source with PUT /api/gitops/sources/{name}");
            } else {
                fields.error(fields.keyAt(field), "unknown field '" + field + "'; expected one of: " + String.join(", ", FIELDS));
            }
        }
        String name = fields.text("name");
        String url = fields.text("url");
        String branch = fields.text("branch");
        String path = fields.text("path");
        String interval = fields.text("interval");
        Boolean prune = fields.bool("prune");
        Boolean suspended = fields.bool("suspended");
        String username = fields.text("username");
        String credential = fields.text("credential");
        String hostKey = fields.text("host_key");
        String revision = fields.text("revision");
        Map<String, List<String>> manages = new LinkedHashMap<>();
        Map<String, Location> places = new LinkedHashMap<>();
        Fields managed = fields.nested(MANAGES, "section names to object names, e.g. {platforms: [web-01], ssh_keys: [alice]}");
        if (managed != null) {
            managed.rejectUnknown(MANAGED);
            for (String section : MANAGED) {
                List<String> names = managed.list(section, "names of " + section + " of this document");
                if (!names.isEmpty()) {
                    manages.put(section, names);
                }
            }
            managed.where().fields().forEach((field, at) -> places.put(MANAGES + "." + field, at));
        }

        Violations v = new Violations();
        SourceService.checkName(name, "name", v);
        SourceService.checkUrl(url, "url", v);
        if (url != null && PASSWORD_IN_URL.matcher(url).matches()) {
            v.add("url", "holds a password; secret material does not belong in a document: write the URL without it and "
                    + "set the token on the restored source with PUT /api/gitops/sources/{name}");
        }
        if (branch != null) {
            SourceService.checkBranch(branch, "branch", v);
        }
        SourceService.checkPath(path, "path", v);
        if (interval != null) {
            SourceService.interval(interval, v);
        }
        if (credential != null) {
            Names.checkObjectName(credential, "credential", v);
        }
        SourceService.checkHostKey(hostKey, "host_key", v);
        if (revision != null) {
            v.check(REVISION.matcher(revision).matches(), "revision", "must be a Git commit SHA (7 to 64 hexadecimal digits)");
        }
        fields.report(v);

        Where where = fields.where();
        Map<String, Location> all = new LinkedHashMap<>(where.fields());
        all.putAll(places);
        return new SourceEntry(name, url, branch, path, interval, prune, suspended, username, credential, hostKey, revision,
                manages, new Where(where.entry(), all));
    }
}
