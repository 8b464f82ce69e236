package io.testum.gitops;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.Names;
import io.testum.common.NotFoundException;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.inventory.PlatformDirectory;
import io.testum.inventory.PlatformRules;
import io.testum.keys.KeyDirectory;
import io.testum.secrets.SecretCipher;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** GitOps sources made through the API, and the suspend switch of the configured one. */
@ApplicationScoped
public class SourceService {

    static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
    private static final Pattern URL = Pattern.compile("(file|git|https?|ssh)://\\S+|[\\w.-]+@[\\w.-]+:\\S+");

    private final SourceRepository sources;
    private final SecretCipher cipher;
    private final Pool pool;
    private final PlatformDirectory platforms;
    private final KeyDirectory keys;

    public SourceService(SourceRepository sources, SecretCipher cipher, Pool pool, PlatformDirectory platforms,
            KeyDirectory keys) {
        this.platforms = platforms;
        this.keys = keys;
        this.sources = sources;
        this.cipher = cipher;
        this.pool = pool;
    }

    /** A source as the API receives it; {@code token} and {@code webhook_secret} are write-only. */
    public record Request(String name, String url, String branch, String path, Object interval, Boolean prune,
            Boolean suspended, String username, String token, String credential, String webhookSecret, String hostKey) {
        @Override
        public String toString() {
            return "Request[" + name + ", " + GitUrls.mask(url) + ", secrets=***]";
        }
    }

    /**
     * A source as the API shows it: never its token or webhook secret, and its URL without user-info.
     *
     * @param hostKey       the SSH host key an admin declared
     * @param pinnedHostKey the SSH host key pinned at first contact
     */
    public record View(String name, String origin, String url, String branch, String path, String interval, boolean prune,
            boolean suspended, String username, String credential, boolean hasToken, boolean hasWebhookSecret, boolean ready,
            String reason, String lastAppliedRevision, String hostKey, String pinnedHostKey) {

        static View of(GitSource s) {
            return new View(s.name(), s.origin(), GitUrls.mask(s.url()), s.branch(), s.path(),
                    s.interval().toSeconds() + "s", s.prune(), s.suspended(), s.username(), s.credential(), s.token() != null,
                    s.webhookSecret() != null, s.ready(), ReconcileReason.wireOf(s.reason()), s.lastAppliedRevision(), s.hostKey(), s.sshHostKey());
        }
    }

    /** What the fleet overview shows of a source. */
    public record Summary(String name, boolean ready, boolean suspended, String reason, String lastFetchedRevision,
            String lastAppliedRevision, Instant lastSuccessAt) {
    }

    /** Every source's {@link Summary}, by name: the fleet overview. */
    public Uni<List<Summary>> summaries() {
        return sources.summaries();
    }

    /** Every source as stored (its token and webhook secret sealed), by name. */
    public Uni<List<GitSource>> all() {
        return sources.all();
    }

    /** A source's status with its last {@code runs} reconcile runs, as {@code GET /api/gitops/sources/{name}/status} answers; {@code null} if unknown. */
    public Uni<Map<String, Object>> status(String name, int runs) {
        return sources.status(name, runs);
    }

    public Uni<List<View>> list() {
        return sources.all().map(all -> all.stream().map(View::of).toList());
    }

    public Uni<View> get(String name) {
        return require(name).map(View::of);
    }

    public Uni<View> create(Request r) {
        Violations v = new Violations();
        checkName(r.name(), "name", v);
        SourceRepository.Fields fields = fields(r, v, null);
        v.throwIfAny();
        return sources.find(r.name()).flatMap(existing -> {
            if (existing != null) {
                throw new ConflictException("GitOps source '" + r.name() + "' already exists");
            }
            return credentialExists(r.credential());
        }).flatMap(x -> sources.create(r.name(), fields)).flatMap(x -> get(r.name()));
    }

    public Uni<View> update(String name, Request r) {
        return require(name).flatMap(existing -> {
            if ("config".equals(existing.origin())) {
                if (r.url() != null || r.branch() != null || r.path() != null || r.interval() != null || r.prune() != null
                        || r.username() != null || r.token() != null || r.credential() != null || r.webhookSecret() != null
                        || r.hostKey() != null) {
                    throw new ConflictException("GitOps source 'default' comes from configuration (testum.gitops.*); change it "
                            + "there. Through the API only 'suspended' can change");
                }
                return sources.setSuspended(name, Boolean.TRUE.equals(r.suspended())).flatMap(x -> get(name));
            }
            Violations v = new Violations();
            v.check(r.name() == null || r.name().equals(name), "name", "sources cannot be renamed");
            SourceRepository.Fields fields = fields(r, v, existing);
            v.throwIfAny();
            return credentialExists(r.credential()).flatMap(x -> sources.update(name, fields)).flatMap(x -> get(name));
        });
    }

    /**
     * Forgets a source's stored token and/or webhook secret (an update leaves a secret it is not
     * given as it is, so this is the way to remove one). The configured source keeps its own.
     */
    public Uni<View> clearSecrets(String name, boolean token, boolean webhookSecret) {
        return require(name).flatMap(existing -> {
            if ("config".equals(existing.origin())) {
                throw new ConflictException("GitOps source 'default' comes from configuration (testum.gitops.*); change it there");
            }
            if (!token && !webhookSecret) {
                return get(name);
            }
            return sources.clearSecrets(name, token, webhookSecret).flatMap(x -> get(name));
        });
    }

    /** Resumes or suspends a source. */
    public Uni<View> suspend(String name, boolean suspended) {
        return require(name).flatMap(s -> sources.setSuspended(name, suspended)).flatMap(x -> get(name));
    }

    /**
     * Deletes a source made through the API. Its objects stay, handed over to the API, so that
     * nothing disappears from the hosts; they become editable.
     */
    public Uni<Void> delete(String name) {
        return require(name).flatMap(s -> {
            if ("config".equals(s.origin())) {
                throw new ConflictException("GitOps source 'default' comes from configuration; unset testum.gitops.url instead");
            }
            return pool.withTransaction(c -> platforms.handOverToApi(c, name)
                    .flatMap(x -> keys.handOverToApi(c, name))
                    .flatMap(x -> c.preparedQuery("DELETE FROM gitops_sources WHERE name = $1").execute(Tuple.of(name)))
                    .replaceWithVoid());
        });
    }

    Uni<GitSource> require(String name) {
        return sources.find(name).map(NotFoundException.ifMissing("GitOps source", name));
    }

    private Uni<Void> credentialExists(String credential) {
        if (credential == null || credential.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return keys.credentialExists(credential).map(exists -> {
            if (!exists) {
                throw new io.testum.common.ValidationException("credential", "credential '" + credential + "' does not exist");
            }
            return null;
        });
    }

    private SourceRepository.Fields fields(Request r, Violations v, GitSource existing) {
        String url = r.url() != null ? r.url() : existing == null ? null : existing.url();
        checkUrl(url, "url", v);
        String branch = r.branch() != null ? r.branch() : existing == null ? "main" : existing.branch();
        checkBranch(branch, "branch", v);
        String path = r.path() != null ? r.path() : existing == null ? null : existing.path();
        checkPath(path, "path", v);
        Duration interval = r.interval() == null ? existing == null ? Duration.ofMinutes(1) : existing.interval()
                : interval(r.interval(), v);
        boolean prune = r.prune() != null ? r.prune() : existing == null || existing.prune();
        boolean suspended = r.suspended() != null ? r.suspended() : existing != null && existing.suspended();
        String name = existing != null ? existing.name() : r.name();
        String hostKey = r.hostKey() != null ? blankToNull(r.hostKey()) : existing == null ? null : existing.hostKey();
        checkHostKey(hostKey, "host_key", v);
        v.check(hostKey == null || url == null || isSsh(url), "host_key", "applies to ssh:// URLs only");
        return new SourceRepository.Fields(url, branch, path, interval, prune, suspended,
                r.username() != null ? blankToNull(r.username()) : existing == null ? null : existing.username(),
                r.token() == null || r.token().isEmpty() ? null : cipher.encrypt(r.token(), GitSource.purpose(name, "token")),
                r.credential() != null ? blankToNull(r.credential()) : existing == null ? null : existing.credential(),
                r.webhookSecret() == null || r.webhookSecret().isEmpty() ? null
                        : cipher.encrypt(r.webhookSecret(), GitSource.purpose(name, "webhook")), hostKey);
    }

    /** A new source's name: a platform-style name, not {@code api}. */
    static void checkName(String name, String field, Violations v) {
        if (Names.checkPlatformName(name, field, v)) {
            v.check(!Source.API.equals(name), field, "'api' is reserved: it names objects made through the API");
        }
    }

    static void checkUrl(String url, String field, Violations v) {
        if (v.required(url, field)) {
            v.check(URL.matcher(url).matches(), field, "must be a file://, git://, http(s):// or ssh:// Git URL");
        }
    }

    /** A branch, tag or full commit id ({@link GitRefs}). */
    static void checkBranch(String branch, String field, Violations v) {
        GitRefs.check(branch, field, v);
    }

    /** Whether {@code url} is fetched over SSH: {@code ssh://}, or the scp-like {@code user@host:path}. */
    static boolean isSsh(String url) {
        return url.startsWith("ssh://") || url.contains("@") && !url.contains("://");
    }

    /** The host key of an ssh:// server, as platforms declare theirs. */
    static void checkHostKey(String hostKey, String field, Violations v) {
        PlatformRules.checkHostKey(hostKey, field, v);
    }

    static void checkPath(String path, String field, Violations v) {
        if (path != null) {
            v.check(!path.contains("..") && !path.isBlank(), field, "must be a file or folder inside the repository");
        }
    }

    /** {@code 90}, {@code "90s"}, {@code "5m"}, {@code "1h"} or {@code "PT5M"}. */
    static Duration interval(Object raw, Violations v) {
        Duration parsed = null;
        try {
            if (raw instanceof Number n) {
                parsed = Duration.ofSeconds(n.longValue());
            } else {
                String text = raw.toString().strip().toLowerCase(Locale.ROOT);
                if (text.startsWith("pt")) {
                    parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
                } else if (text.matches("\\d+[smh]?")) {
                    long n = Long.parseLong(text.replaceAll("[smh]", ""));
                    parsed = text.endsWith("h") ? Duration.ofHours(n) : text.endsWith("m") ? Duration.ofMinutes(n)
                            : Duration.ofSeconds(n);
                }
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            parsed = null;
        }
        if (parsed == null || parsed.compareTo(MIN_INTERVAL) < 0) {
            v.add("interval", "must be a duration of at least 10s, such as 30s, 5m or 1h");
            return MIN_INTERVAL;
        }
        return parsed;
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s;
    }
}
