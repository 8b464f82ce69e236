package io.testum.gitops;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.testum.audit.AuditEntry;
import io.testum.audit.AuditLog;
import io.testum.common.FieldError;
import io.testum.common.NotFoundException;
import io.testum.common.ProblemException;
import io.testum.common.Redacted;
import io.testum.inventory.InventoryChanged;
import io.testum.keys.CredentialSecrets;
import io.testum.secrets.SecretCipher;
import io.testum.secrets.SecretsConfig;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshConfig;
import io.testum.ssh.SshKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Reconciles one source, in the manner of Flux's controllers: fetch, parse, plan, apply, deploy,
 * stopping at the first step that says stop.
 * <ul>
 * <li>an unchanged revision with nothing pending returns at once: no SSH, no writes;</li>
 * <li>an invalid document stalls: nothing changes, and the same revision is not tried again;</li>
 * <li>a failed fetch waits: retried with exponential backoff, capped at the interval;</li>
 * <li>a valid document is planned and applied in one transaction, then only the changed blocks are deployed;</li>
 * <li>anything else fails: recorded in the status, and retried with the same backoff.</li>
 * </ul>
 * One run per source at a time across every replica ({@link SourceLocks}). Blocking: runs on worker threads.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofMinutes(2);

    private final SourceRepository sources;
    private final InventoryStore store;
    private final Event<InventoryChanged> changes;
    private final AuditLog audit;
    private final SecretCipher cipher;
    private final CredentialSecrets credentials;
    private final Pool pool;
    private final GitopsConfig config;
    private final SourceLocks sourceLocks;
    private final SshConfig ssh;
    private final GitFetcher fetcher;
    private final GitFetcher previewFetcher;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> previewLocks = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    public Reconciler(SourceRepository sources, InventoryStore store, Event<InventoryChanged> changes, AuditLog audit,
            SecretCipher cipher, CredentialSecrets credentials, Pool pool, GitopsConfig config, SecretsConfig local,
            MeterRegistry meters, SourceLocks sourceLocks, SshConfig ssh) {
        this.meters = meters;
        this.sourceLocks = sourceLocks;
        this.ssh = ssh;
        this.sources = sources;
        this.store = store;
        this.changes = changes;
        this.audit = audit;
        this.cipher = cipher;
        this.credentials = credentials;
        this.pool = pool;
        this.config = config;
        GitFetcher.Limits limits = GitFetcher.Limits.of(config);
        this.fetcher = new GitFetcher(local.dataDir().resolve("gitops").toAbsolutePath().normalize(), limits);
        // Diffs fetch into mirrors of their own: a preview never races a reconcile's fetch, nor waits for it.
        this.previewFetcher = new GitFetcher(local.dataDir().resolve("gitops-preview").toAbsolutePath().normalize(), limits);
    }

    /**
     * @param wait  whether to wait for a run of the same source that is under way (manual syncs do)
     * @param force whether to apply even an unchanged revision (manual syncs do)
     */
    public RunResult reconcile(String name, String trigger, boolean wait, boolean force) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        if (!tryLock(lock, wait ? WAIT : Duration.ZERO)) {
            return skipped(name, trigger);
        }
        long t0 = System.nanoTime();
        RunResult result = null;
        try {
            Optional<SourceLocks.Held> held = sourceLocks.acquire(name, wait ? WAIT : Duration.ZERO);
            if (held.isEmpty()) {
                result = skipped(name, trigger);
                return result;
            }
            try (SourceLocks.Held h = held.get()) {
                result = runOrRecordFailure(name, trigger, force);
            }
            return result;
        } finally {
            lock.unlock();
            String label = result == null ? "error" : result.result().label();
            Timer.builder("testum.reconcile.duration").description("Time a reconcile of a GitOps source took")
                    .tag("source", name).register(meters).record(Duration.ofNanos(System.nanoTime() - t0));
            Counter.builder("testum.reconcile").description("Reconciles of GitOps sources, by result")
                    .tag("result", label).register(meters).increment();
        }
    }

    private static boolean tryLock(ReentrantLock lock, Duration wait) {
        try {
            return wait.isZero() ? lock.tryLock() : lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static RunResult skipped(String name, String trigger) {
        return new RunResult(name, trigger, null, RunResult.Result.SKIPPED, "InProgress",
                "another run of the source is under way (on this replica or another)", null, List.of(), 0, Instant.now());
    }

    /** Runs the steps; a failure no step expected is recorded in the status and retried with backoff. */
    private RunResult runOrRecordFailure(String name, String trigger, boolean force) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        try {
            return run(name, trigger, force);
        } catch (NotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            GitSource source = sources.find(name).await().atMost(WAIT);
            if (source == null) {
                throw new NotFoundException("GitOps source", name);
            }
            int failures = source.failures() + 1;
            Duration retry = backoff(failures, source.interval());
            String message = describe(e) + "; next attempt in " + retry.toSeconds() + "s";
            LOG.errorf(Redacted.copy(e, GitUrls::mask), "GitSource %s: %s", name, message);
            return finish(source, new RunResult(name, trigger, null, RunResult.Result.FAILED, "ReconcileFailed", message, null,
                    List.of(), millis(t0), started), failures, retry, null);
        }
    }

    /** What a status may say of an unexpected failure: testum's own problems in full, others by kind only. */
    static String describe(RuntimeException e) {
        if (e instanceof ProblemException problem) {
            return GitUrls.mask(problem.getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return "The reconcile failed: the database refused a statement (SQL state " + pg.getSqlState()
                        + "); the server log has the details";
            }
        }
        return "The reconcile failed unexpectedly (" + e.getClass().getSimpleName() + "); the server log has the details";
    }

    private RunResult run(String name, String trigger, boolean force) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        GitSource source = sources.find(name).await().atMost(WAIT);
        if (source == null) {
            throw new NotFoundException("GitOps source", name);
        }
        GitFetcher.Fetched fetched;
        try {
            fetched = fetch(source, source.branch());
        } catch (GitFetcher.FetchException e) {
            int failures = source.failures() + 1;
            Duration retry = backoff(failures, source.interval());
            LOG.warnf("GitSource %s: %s; next attempt in %ss", name, e.getMessage(), retry.toSeconds());
            return finish(source, new RunResult(name, trigger, null, RunResult.Result.WAITING, "FetchFailed", e.getMessage(),
                    null, List.of(), millis(t0), started), failures, retry, null);
        } catch (GitFetcher.UnreadableDocumentException e) {
            return stalled(source, trigger, null, List.of(FieldError.at(source.path() == null ? "(repository)" : source.path(),
                    1, 1, e.getMessage())), null, t0, started);
        }
        String revision = fetched.revision();
        if (!force && revision.equals(source.lastAppliedRevision()) && source.ready()) {
            sources.scheduleNext(name, source.interval()).await().atMost(WAIT);
            return new RunResult(name, trigger, revision, RunResult.Result.UNCHANGED, "UpToDate",
                    "revision " + shortRevision(revision) + " is applied", null, List.of(), millis(t0), started);
        }
        if (!force && revision.equals(source.lastFetchedRevision()) && "ValidationFailed".equals(source.reason())) {
            sources.scheduleNext(name, source.interval()).await().atMost(WAIT);
            return new RunResult(name, trigger, revision, RunResult.Result.STALLED, "ValidationFailed",
                    "revision " + shortRevision(revision) + " is invalid; waiting for a new revision", null, List.of(),
                    millis(t0), started);
        }
        long fetchedAt = System.nanoTime();
        DesiredDocument document;
        try {
            document = DocumentParser.parse(fetched.files(), config.maxDocumentObjects());
        } catch (DocumentException e) {
            return stalled(source, trigger, revision, e.errors(), null, t0, started);
        }
        long parsedAt = System.nanoTime();
        // Planned and applied in one transaction under the apply lock: the plan sees every apply before it.
        Planner.Result planned = store.planAndApply(document, name, revision, false).await().atMost(WAIT);
        if (!planned.errors().isEmpty()) {
            return stalled(source, trigger, revision, planned.errors(), planned.plan(), t0, started);
        }
        long appliedAt = System.nanoTime();
        saveDrift(name, document.settings().drift());
        RunResult result = new RunResult(name, trigger, revision, RunResult.Result.APPLIED, "Succeeded",
                "applied revision " + shortRevision(revision), planned.plan(), List.of(), millis(t0), started);
        finish(source, result, 0, source.interval(), planned.plan());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("revision", revision);
        details.put("trigger", trigger);
        details.put("plan", planned.plan().toMap());
        audit.record(new AuditEntry(null, null, "gitops:" + name, "gitops.apply", name,
                "success", null, details)).await().atMost(WAIT);
        if (planned.plan().changes()) {
            changes.fire(InventoryChanged.everything());
        }
        LOG.infof("GitSource %s: applied %s (%s); fetch %d ms, parse %d ms, plan and apply %d ms", name,
                shortRevision(revision), planned.plan().summary(), millis(t0, fetchedAt), millis(fetchedAt, parsedAt),
                millis(parsedAt, appliedAt));
        return result;
    }

    /** Fetches {@code ref} of the source into its reconcile mirror; call it holding the source's lock. */
    GitFetcher.Fetched fetch(GitSource source, String ref) {
        return fetcher.fetch(request(source, ref), pin(source));
    }

    /**
     * Fetches {@code ref} of the source for a diff, into a mirror of its own: a preview neither
     * waits for a reconcile nor touches the mirror one reads. Previews of one source take turns.
     */
    GitFetcher.Fetched preview(GitSource source, String ref) {
        ReentrantLock lock = previewLocks.computeIfAbsent(source.name(), n -> new ReentrantLock());
        if (!tryLock(lock, WAIT)) {
            throw new GitFetcher.FetchException("Another diff of source '" + source.name() + "' is still fetching", null);
        }
        try {
            return previewFetcher.fetch(request(source, ref), pin(source));
        } finally {
            lock.unlock();
        }
    }

    private java.util.function.Consumer<String> pin(GitSource source) {
        return fingerprint -> sources.pinSshHostKey(source.name(), fingerprint).await().atMost(WAIT);
    }

    private GitFetcher.Request request(GitSource source, String ref) {
        String token = source.token() == null ? null : cipher.decryptString(source.token(), GitSource.purpose(source.name(), "token"));
        java.security.KeyPair key = null;
        if (source.credential() != null) {
            CredentialSecrets.Login login = credentials.find(source.credential()).await().atMost(WAIT);
            if (login == null) {
                throw new GitFetcher.FetchException("credential '" + source.credential() + "' does not exist", null);
            }
            SshAuth auth = credentials.open(login);
            if (!(auth instanceof SshAuth.Key keyAuth)) {
                throw new GitFetcher.FetchException("credential '" + source.credential() + "' holds a password; Git over SSH "
                        + "needs a key", null);
            }
            key = SshKeys.keyPair(keyAuth.openSshPrivateKey());
        }
        GitFetcher.HostKeyCheck hostKeys = new GitFetcher.HostKeyCheck(source.hostKey(), source.sshHostKey(),
                ssh.hostKeyPolicy() == SshConfig.HostKeyPolicy.STRICT);
        return new GitFetcher.Request(source.name(), source.url(), ref, source.path(), source.username(), token, key, hostKeys,
                config.fetchTimeout());
    }

    private RunResult stalled(GitSource source, String trigger, String revision, List<FieldError> errors, Plan plan, long t0,
            Instant started) {
        FieldError first = errors.get(0);
        String where = first.file() == null ? "" : first.file() + ":" + first.line() + ":" + first.column() + ": ";
        String message = errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + " in revision "
                + shortRevision(revision) + "; first: " + where + first.message();
        LOG.warnf("GitSource %s stalls: %s", source.name(), message);
        return finish(source, new RunResult(source.name(), trigger, revision, RunResult.Result.STALLED, "ValidationFailed",
                message, plan, errors, millis(t0), started), 0, source.interval(), plan);
    }

    /** Writes the run and the status computed from it, once. */
    private RunResult finish(GitSource source, RunResult run, int failures, Duration next, Plan plan) {
        boolean applied = run.result() == RunResult.Result.APPLIED;
        sources.saveStatus(source.name(), new SourceRepository.Status(applied, run.reason(), run.message(), run.revision(),
                applied ? run.revision() : null, run.errorMaps(), plan == null ? null : plan.toMap(), applied, failures, next))
                .await().atMost(WAIT);
        sources.recordRun(run).await().atMost(WAIT);
        return run;
    }

    private void saveDrift(String name, DesiredDocument.Drift drift) {
        pool.preparedQuery("UPDATE gitops_sources SET drift = $2 WHERE name = $1 AND drift <> $2")
                .execute(Tuple.of(name, drift.name().toLowerCase(java.util.Locale.ROOT))).await().atMost(WAIT);
    }

    /** 5 s, 10 s, 20 s, ... capped at the interval. */
    static Duration backoff(int failures, Duration interval) {
        long seconds = FIRST_RETRY.toSeconds() << Math.min(20, Math.max(0, failures - 1));
        return Duration.ofSeconds(Math.min(seconds, interval.toSeconds()));
    }

    static String shortRevision(String revision) {
        return revision == null ? "(none)" : revision.substring(0, Math.min(12, revision.length()));
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
