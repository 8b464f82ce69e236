package io.testum.gitops;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.testum.audit.AuditEntry;
import io.testum.audit.AuditLog;
import io.testum.common.FieldError;
import io.testum.common.NotFoundException;
import io.testum.deploy.DeploymentService;
import io.testum.keys.CredentialSecrets;
import io.testum.secrets.SecretCipher;
import io.testum.secrets.SecretsConfig;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reconciles one source, in the manner of Flux's controllers: fetch, parse, plan, apply, deploy,
 * stopping at the first step that says stop.
 * <ul>
 * <li>an unchanged revision with nothing pending returns at once: no SSH, no writes;</li>
 * <li>an invalid document stalls: nothing changes, and the same revision is not tried again;</li>
 * <li>a failed fetch waits: retried with exponential backoff, capped at the interval;</li>
 * <li>a valid document is applied in one transaction, then only the changed blocks are deployed.</li>
 * </ul>
 * One run per source at a time. Blocking: runs on worker threads.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofMinutes(2);

    private final SourceRepository sources;
    private final InventoryStore store;
    private final DeploymentService deployments;
    private final AuditLog audit;
    private final SecretCipher cipher;
    private final CredentialSecrets credentials;
    private final Pool pool;
    private final GitopsConfig config;
    private final GitFetcher fetcher;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    public Reconciler(SourceRepository sources, InventoryStore store, DeploymentService deployments, AuditLog audit,
            SecretCipher cipher, CredentialSecrets credentials, Pool pool, GitopsConfig config, SecretsConfig local,
            MeterRegistry meters) {
        this.meters = meters;
        this.sources = sources;
        this.store = store;
        this.deployments = deployments;
        this.audit = audit;
        this.cipher = cipher;
        this.credentials = credentials;
        this.pool = pool;
        this.config = config;
        this.fetcher = new GitFetcher(local.dataDir().resolve("gitops").toAbsolutePath().normalize());
    }

    /**
     * @param wait  whether to wait for a run of the same source that is under way (manual syncs do)
     * @param force whether to apply even an unchanged revision (manual syncs do)
     */
    public RunResult reconcile(String name, String trigger, boolean wait, boolean force) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        if (wait) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return new RunResult(name, trigger, null, RunResult.Result.SKIPPED, "InProgress", "another run is under way",
                    null, List.of(), 0, Instant.now());
        }
        long t0 = System.nanoTime();
        RunResult result = null;
        try {
            result = run(name, trigger, force);
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
            LOG.warnf("GitSource %s: %s; next attempt in %s", name, e.getMessage(), retry);
            return finish(source, new RunResult(name, trigger, null, RunResult.Result.WAITING, "FetchFailed", e.getMessage(),
                    null, List.of(), millis(t0), started), failures, retry, null);
        } catch (GitFetcher.MissingDocumentException e) {
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
            document = DocumentParser.parse(fetched.files());
        } catch (DocumentException e) {
            return stalled(source, trigger, revision, e.errors(), null, t0, started);
        }
        long parsedAt = System.nanoTime();
        Snapshot snapshot = store.snapshot().await().atMost(WAIT);
        long loadedAt = System.nanoTime();
        Planner.Result planned = Planner.plan(document, snapshot, name);
        long plannedAt = System.nanoTime();
        if (!planned.errors().isEmpty()) {
            return stalled(source, trigger, revision, planned.errors(), planned.plan(), t0, started);
        }
        if (!planned.changes().isEmpty()) {
            store.apply(planned.changes(), revision).await().atMost(WAIT);
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
            deployments.inventoryChanged();
        }
        LOG.infof("GitSource %s: applied %s (%s); fetch %d ms, parse %d ms, load %d ms, plan %d ms, apply %d ms", name,
                shortRevision(revision), planned.plan().summary(), millis(t0, fetchedAt), millis(fetchedAt, parsedAt),
                millis(parsedAt, loadedAt), millis(loadedAt, plannedAt), millis(plannedAt, appliedAt));
        return result;
    }

    /** Fetches {@code ref} of the source: the branch for a reconcile, any ref for a diff. */
    GitFetcher.Fetched fetch(GitSource source, String ref) {
        String token = source.token() == null ? null : cipher.decryptString(source.token(), GitSource.purpose(source.name(), "token"));
        java.security.KeyPair key = null;
        if (source.credential() != null) {
            var row = pool.preparedQuery("SELECT kind, secret, secret_ref FROM credentials WHERE name = $1")
                    .execute(Tuple.of(source.credential())).await().atMost(WAIT);
            if (!row.iterator().hasNext()) {
                throw new GitFetcher.FetchException("credential '" + source.credential() + "' does not exist", null);
            }
            var r = row.iterator().next();
            SshAuth auth = credentials.open(source.credential(), r.getString("kind"),
                    r.getBuffer("secret") == null ? null : r.getBuffer("secret").getBytes(), r.getString("secret_ref"));
            if (!(auth instanceof SshAuth.Key keyAuth)) {
                throw new GitFetcher.FetchException("credential '" + source.credential() + "' holds a password; Git over SSH "
                        + "needs a key", null);
            }
            key = SshKeys.keyPair(keyAuth.openSshPrivateKey());
        }
        return fetcher.fetch(new GitFetcher.Request(source.name(), source.url(), ref, source.path(), source.username(), token,
                key, source.sshHostKey(), config.fetchTimeout()),
                fingerprint -> sources.pinSshHostKey(source.name(), fingerprint).await().atMost(WAIT));
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
