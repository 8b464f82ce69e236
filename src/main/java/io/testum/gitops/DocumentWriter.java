package io.testum.gitops;

import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import io.testum.inventory.PlatformRules;

/**
 * Writes an inventory as a desired-state document (SPEC §3) that {@link DocumentParser} reads back to
 * the same specs: every kind sorted by name, defaults left out, no secrets (credentials are names,
 * sources have neither token nor webhook secret, a URL loses its password). GitOps sources go to a
 * {@code sources} section that records which objects each one managed. The same inventory always
 * gives the same text.
 */
final class DocumentWriter {

    static final String HEADER = """
            # testum inventory in the desired-state format (SPEC §3), without secrets: credentials are
            # names only, sources carry neither token nor webhook secret. Restore it with
            # POST /api/backup/import (testumctl backup import), or commit it to Git as a GitOps source.
            """;

    private DocumentWriter() {
    }

    static String write(Snapshot inventory, List<GitSource> sources) {
        List<NodeTuple> top = new ArrayList<>();
        put(top, TopLevel.VERSION, integer(TopLevel.FORMAT_VERSION));
        section(top, TopLevel.KEYS, inventory.keys(), k -> {
            List<NodeTuple> entry = new ArrayList<>();
            put(entry, "name", text(k.name()));
            put(entry, "public_key", text(k.publicKey()));
            put(entry, "description", text(k.description()));
            return entry;
        });
        section(top, TopLevel.CREDENTIALS, inventory.credentials(), c -> {
            List<NodeTuple> entry = new ArrayList<>();
            put(entry, "name", text(c.name()));
            put(entry, "secret_ref", text(c.secretRef()));
            put(entry, "description", text(c.description()));
            return entry;
        });
        section(top, TopLevel.PLATFORMS, inventory.platforms(), p -> {
            List<NodeTuple> entry = new ArrayList<>();
            put(entry, "name", text(p.name()));
            put(entry, "host", text(p.host()));
            put(entry, "port", integer(p.port()));
            put(entry, "username", text(p.username()));
            put(entry, "auth_method", text(p.authMethod()));
            put(entry, "credential", text(p.credential()));
            put(entry, "host_key", text(p.hostKey()));
            put(entry, "labels", p.labels().isEmpty() ? null : flowMap(p.labels()));
            put(entry, "authorized_keys_path", PlatformRules.DEFAULT_AUTHORIZED_KEYS_PATH.equals(p.path()) ? null : text(p.path()));
            put(entry, "authorized_keys_mode", PlatformRules.MODE_MERGE.equals(p.mode()) ? null : text(p.mode()));
            put(entry, "description", text(p.description()));
            return entry;
        });
        section(top, TopLevel.ACCESS, inventory.grants(), g -> {
            List<NodeTuple> entry = new ArrayList<>();
            put(entry, "name", text(g.name()));
            put(entry, "keys", flowList(g.keys()));
            put(entry, "platforms", g.platforms().isEmpty() ? null : flowList(g.platforms()));
            put(entry, "selector", g.selector() == null ? null : flowMap(g.selector()));
            put(entry, "user", text(g.user()));
            put(entry, "options", text(g.options()));
            put(entry, "expires", g.expires() == null ? null : text(g.expires().toString()));
            put(entry, "description", text(g.description()));
            return entry;
        });
        List<Node> sourceNodes = sources.stream().sorted(Comparator.comparing(GitSource::name))
                .map(s -> (Node) block(source(s, inventory))).toList();
        if (!sourceNodes.isEmpty()) {
            put(top, TopLevel.SOURCES, new SequenceNode(Tag.SEQ, sourceNodes, FlowStyle.BLOCK));
        }
        return HEADER + dump(new MappingNode(Tag.MAP, top, FlowStyle.BLOCK));
    }

    private static List<NodeTuple> source(GitSource s, Snapshot inventory) {
        List<NodeTuple> entry = new ArrayList<>();
        put(entry, "name", text(s.name()));
        put(entry, "url", text(GitUrls.withoutSecrets(s.url())));
        put(entry, "branch", text(s.branch()));
        put(entry, "path", text(s.path()));
        put(entry, "interval", text(interval(s.interval())));
        put(entry, "prune", bool(s.prune()));
        put(entry, "suspended", bool(s.suspended()));
        put(entry, "username", text(s.username()));
        put(entry, "credential", text(s.credential()));
        put(entry, "host_key", text(s.hostKey()));
        put(entry, "revision", text(s.lastAppliedRevision()));
        List<NodeTuple> manages = new ArrayList<>();
        put(manages, TopLevel.PLATFORMS, managed(inventory.platforms(), s.name()));
        put(manages, TopLevel.KEYS, managed(inventory.keys(), s.name()));
        put(manages, TopLevel.CREDENTIALS, managed(inventory.credentials(), s.name()));
        put(manages, TopLevel.ACCESS, managed(inventory.grants(), s.name()));
        put(entry, SourceSection.MANAGES, manages.isEmpty() ? null : block(manages));
        return entry;
    }

    /** {@code 90s}, {@code 5m}, {@code 2h}: the largest unit that divides the interval. */
    static String interval(Duration interval) {
        long seconds = interval.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static <S> Node managed(Map<String, Specs.Owned<S>> objects, String source) {
        List<String> names = objects.entrySet().stream().filter(e -> e.getValue().source().equals(source)).map(Map.Entry::getKey)
                .sorted().toList();
        return names.isEmpty() ? null : flowList(names);
    }

    private static <S> void section(List<NodeTuple> top, String name, Map<String, Specs.Owned<S>> objects,
            Function<S, List<NodeTuple>> entry) {
        if (objects.isEmpty()) {
            return;
        }
        List<Node> items = new TreeMap<>(objects).values().stream().map(o -> (Node) block(entry.apply(o.spec()))).toList();
        put(top, name, new SequenceNode(Tag.SEQ, items, FlowStyle.BLOCK));
    }

    private static void put(List<NodeTuple> mapping, String key, Node value) {
        if (value != null) {
            mapping.add(new NodeTuple(text(key), value));
        }
    }

    private static MappingNode block(List<NodeTuple> tuples) {
        return new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK);
    }

    private static Node flowMap(Map<String, String> map) {
        List<NodeTuple> tuples = new ArrayList<>();
        new TreeMap<>(map).forEach((k, v) -> tuples.add(new NodeTuple(text(k), Objects.requireNonNullElse(text(v), text("")))));
        return new MappingNode(Tag.MAP, tuples, FlowStyle.FLOW);
    }

    private static Node flowList(List<String> items) {
        return new SequenceNode(Tag.SEQ, items.stream().map(i -> (Node) text(i)).toList(), FlowStyle.FLOW);
    }

    /** A string; the emitter quotes it when plain text would read back as something else. */
    private static ScalarNode text(String value) {
        return value == null ? null : new ScalarNode(Tag.STR, value, ScalarStyle.PLAIN);
    }

    private static ScalarNode integer(int value) {
        return new ScalarNode(Tag.INT, Integer.toString(value), ScalarStyle.PLAIN);
    }

    private static ScalarNode bool(boolean value) {
        return new ScalarNode(Tag.BOOL, Boolean.toString(value), ScalarStyle.PLAIN);
    }

    private static String dump(Node root) {
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setIndent(2)
                .setIndicatorIndent(2)
                .setIndentWithIndicator(true)
                .setSplitLines(false)
                .setWidth(Integer.MAX_VALUE)
                .setDereferenceAliases(true)
                .build();
        StringWriter out = new StringWriter();
        new Dump(settings).dumpNode(root, new StreamDataWriter() {
            @Override
            public void write(String str) {
                out.write(str);
            }

            @Override
            public void write(String str, int off, int len) {
                out.write(str, off, len);
            }
        });
        return out.toString();
    }
}
