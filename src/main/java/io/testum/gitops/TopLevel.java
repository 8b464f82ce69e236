package io.testum.gitops;

import java.util.List;
import java.util.function.Consumer;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the top level of one file: the format version, then each section, handing every entry to
 * the {@link DocumentBuilder} in document order.
 */
final class TopLevel {

    static final String VERSION = "version";
    static final String KEYS = "ssh_keys";
    static final String CREDENTIALS = "credentials";
    static final String PLATFORMS = "platforms";
    static final String ACCESS = "access";
    static final String SETTINGS = "settings";
    static final String SCHEDULES = "schedules";
    static final String ALERTS = "alerts";
    /** GitOps sources, as a backup records them; only a restore acts on them. */
    static final String SOURCES = "sources";
    static final List<String> SECTIONS = List.of(VERSION, KEYS, CREDENTIALS, PLATFORMS, ACCESS, SETTINGS, SCHEDULES, ALERTS, SOURCES);
    static final int FORMAT_VERSION = 1;

    private final String file;
    private final Problems problems;
    private final DocumentBuilder document;

    private TopLevel(String file, Problems problems, DocumentBuilder document) {
        this.file = file;
        this.problems = problems;
        this.document = document;
    }

    /** Reads {@code root}, the node of {@code file}, into {@code document}. */
    static void read(String file, Node root, Problems problems, DocumentBuilder document) {
        new TopLevel(file, problems, document).read(root);
    }

    private void read(Node root) {
        if (root instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag())) {
            return; // a file of comments only: it declares nothing
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(Problems.at(file, root), "the top level must be a mapping with some of the keys "
                    + String.join(", ", SECTIONS) + "; found " + Fields.describe(root));
            return;
        }
        Fields top = new Fields(file, "", mapping, problems);
        for (String key : top.unknown(SECTIONS)) {
            top.error(top.keyAt(key), "unknown top-level key '" + key + "'; expected one of: " + String.join(", ", SECTIONS));
        }
        Integer version = top.integer(VERSION);
        if (version != null && version != FORMAT_VERSION) {
            top.invalid(VERSION, "must be " + FORMAT_VERSION + ", the only version of this format; found " + version);
        }
        entries(top, KEYS, "public keys (- name: alice, public_key: ssh-ed25519 AAAA...)",
                fields -> document.add(KeySection.read(fields), fields));
        entries(top, CREDENTIALS, "credentials (- name: deployer, secret_ref: testum-deployer)",
                fields -> document.add(CredentialSection.read(fields), fields));
        entries(top, PLATFORMS, "platforms (- name: web-01, host: 192.0.2.10, ...)",
                fields -> document.add(PlatformSection.read(fields), fields));
        entries(top, ACCESS, "access grants (- name: web-admins, keys: [alice], platforms: [web-01])",
                fields -> document.add(AccessSection.read(fields), fields));
        entries(top, SCHEDULES, "schedules (- name: nightly, cron: \"0 3 * * *\", command: df -h, targets: {selector: {env: prod}})",
                fields -> document.add(ScheduleSection.read(fields), fields));
        entries(top, ALERTS, "alerts (- name: ops-channel, type: webhook, url: https://hooks.example.org/testum, events: [deployment.failed])",
                fields -> document.add(AlertSection.read(fields), fields));
        entries(top, SOURCES, "GitOps sources (- name: team, url: https://git.example.com/ops.git, ...)",
                fields -> document.add(SourceSection.read(fields), fields));
        MappingNode settings = top.mapping(SETTINGS, "settings (prune: true, allow_empty: false, drift: repair)");
        if (settings != null) {
            document.settings(SettingsSection.read(new Fields(file, SETTINGS, settings, problems)), top.keyAt(SETTINGS));
        }
    }

    /** Reads each item of {@code section} with {@code reader}; an item that is not a mapping is a problem. */
    private void entries(Fields top, String section, String expected, Consumer<Fields> reader) {
        List<Node> items = top.items(section, expected);
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            if (!document.admit(file, item)) {
                continue;
            }
            if (item instanceof MappingNode entry) {
                reader.accept(Fields.entry(file, section, i, entry, problems));
            } else {
                problems.add(Problems.at(file, item), section + "[" + i + "]: must be a mapping of fields "
                        + "(name: ..., and so on), found " + Fields.describe(item));
            }
        }
    }
}
