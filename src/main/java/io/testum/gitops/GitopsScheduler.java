package io.testum.gitops;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.testum.cluster.Leadership;
import io.testum.common.Redacted;
import io.testum.common.Violations;
import io.testum.db.DatabaseConfig;
import io.testum.secrets.SecretCipher;

/**
 * Starts reconciles: on the leader, every source whose interval has passed (checked every few
 * seconds); on any replica, a manual sync or a webhook. Also keeps the default source in line
 * with configuration.
 */
@ApplicationScoped
public class GitopsScheduler {

    private static final Logger LOG = Logger.getLogger(GitopsScheduler.class);

    private final SourceRepository sources;
    private final Reconciler reconciler;
    private final Leadership leadership;
    private final GitopsConfig config;
    private final SecretCipher cipher;
    private final Duration databaseWait;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "testum-gitops");
        t.setDaemon(true);
        return t;
    });

    public GitopsScheduler(SourceRepository sources, Reconciler reconciler, Leadership leadership, GitopsConfig config,
            SecretCipher cipher, DatabaseConfig database) {
        this.sources = sources;
        this.reconciler = reconciler;
        this.leadership = leadership;
        this.config = config;
        this.cipher = cipher;
        this.databaseWait = database.waitTimeout();
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** The default source follows configuration at every start; a branch or host key that is not one stops the start. */
    void onStart(@Observes StartupEvent event) {
        if (config.url().isEmpty()) {
            sources.deleteConfigSource().await().atMost(databaseWait);
            return;
        }
        Violations v = new Violations();
        SourceService.checkBranch(config.branch(), "testum.gitops.branch", v);
        SourceService.checkHostKey(config.hostKey().orElse(null), "testum.gitops.host-key", v);
        SourceService.checkPath(config.path().orElse(null), "testum.gitops.path", v);
        if (!v.isEmpty()) {
            throw new IllegalStateException("The default GitOps source is misconfigured: " + v.errors().stream()
                    .map(e -> e.field() + " " + e.message()).collect(java.util.stream.Collectors.joining("; ")));
        }
        sources.saveConfigSource(new SourceRepository.Fields(config.url().get(), config.branch(), config.path().orElse(null),
                config.interval(), true, false, config.username().orElse(null),
                config.token().map(t -> cipher.encrypt(t, GitSource.purpose(GitSource.DEFAULT, "token"))).orElse(null),
                config.credential().orElse(null),
                config.webhookSecret().map(t -> cipher.encrypt(t, GitSource.purpose(GitSource.DEFAULT, "webhook"))).orElse(null),
                config.hostKey().orElse(null)))
                .await().atMost(databaseWait);
        LOG.infof("GitOps source 'default': %s (%s)", GitUrls.mask(config.url().get()), config.branch());
    }

    /** Every few seconds, on the leader: reconcile the sources that are due. */
    @Scheduled(every = "${testum.gitops.tick:5s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!leadership.isLeader()) {
            return;
        }
        for (GitSource source : sources.due().await().atMost(databaseWait)) {
            submit(source.name(), "interval");
        }
    }

    /** Reconciles in the background; a run of the same source under way makes this one a no-op. */
    public void submit(String name, String trigger) {
        workers.submit(() -> {
            try {
                reconciler.reconcile(name, trigger, false, false);
            } catch (RuntimeException e) {
                LOG.errorf(Redacted.copy(e, GitUrls::mask), "Reconciling source %s failed", name);
            }
        });
    }

}
