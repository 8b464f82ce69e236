package io.testum.alerts;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.testum.cluster.Leadership;
import io.testum.db.DatabaseConfig;
import io.testum.secrets.SecretCipher;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

/**
 * Sends queued deliveries, on the leader only, so that each event is sent by one replica: a try
 * takes its row with {@code FOR UPDATE SKIP LOCKED} and a lease, so even two senders never try the
 * same row at once, and one that dies mid-try leaves the row to be tried again when the lease ends
 * (receivers dedupe on {@code X-Testum-Delivery}). A failed try (no answer, 5xx, 408, 429) waits
 * {@code retry-delay}, then twice as long each time, up to {@code max-retry-delay}, until
 * {@code max-attempts}; another answer (3xx: redirects are not followed, 4xx) fails at once.
 * <p>
 * The connection goes to the address testum resolved and checked, not to a second lookup, so a
 * name cannot resolve to an allowed address for the check and a refused one for the send.
 */
@ApplicationScoped
public class AlertSender {

    private static final Logger LOG = Logger.getLogger(AlertSender.class);
    private static final int BATCH = 20;
    private static final int MAX_ERROR = 300;

    private final AlertRepository alerts;
    private final SecretCipher cipher;
    private final Leadership leadership;
    private final AlertsConfig config;
    private final Vertx vertx;
    private final Duration databaseWait;
    private final ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "testum-alerts-send");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile HttpClient client;
    private ScheduledFuture<?> later;
    private Instant laterAt;

    AlertSender(AlertRepository alerts, SecretCipher cipher, Leadership leadership, AlertsConfig config, Vertx vertx,
            DatabaseConfig database) {
        this.alerts = alerts;
        this.cipher = cipher;
        this.leadership = leadership;
        this.config = config;
        this.vertx = vertx;
        this.databaseWait = database.waitTimeout();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        if (client != null) {
            client.close();
        }
    }

    @Scheduled(every = "${testum.alerts.poll:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** Removes, on the leader, deliveries that finished longer than {@code testum.alerts.keep-deliveries} ago. */
    @Scheduled(every = "${testum.retention.interval:1h}", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        if (!leadership.isLeader() || config.keepDeliveries().isZero()) {
            return;
        }
        try {
            long removed = alerts.prune(Instant.now().minus(config.keepDeliveries())).await().atMost(databaseWait);
            if (removed > 0) {
                LOG.infof("Retention removed %d alert deliver(ies)", removed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Pruning the alert deliveries failed; the next pass retries: %s", e.getMessage());
        }
    }

    /** Sends what is due, soon, on the sender's thread. */
    public void wake() {
        // Once the service stops, the timer is gone and what is queued waits for the next start.
        if (!timer.isShutdown() && queued.compareAndSet(false, true)) {
            try {
                timer.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                queued.set(false);
            }
        }
    }

    private void drain() {
        queued.set(false);
        if (!leadership.isLeader()) {
            return;
        }
        try {
            List<AlertRepository.Claimed> batch;
            do {
                batch = alerts.claim(BATCH, lease()).await().atMost(databaseWait);
                batch.forEach(this::attempt);
            } while (batch.size() == BATCH);
            Instant next = alerts.nextDue().await().atMost(databaseWait);
            if (next != null) {
                wakeAt(next);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Sending alerts failed; the next poll tries again");
        }
    }

    /** Keeps one timer, for the earliest due time asked for. */
    private synchronized void wakeAt(Instant at) {
        if (later != null && !later.isDone() && laterAt != null && !laterAt.isAfter(at)) {
            return;
        }
        if (later != null) {
            later.cancel(false);
        }
        laterAt = at;
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis()) + 50;
        later = timer.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
    }

    private Duration lease() {
        return config.timeout().multipliedBy(3).plusSeconds(5);
    }

    /** How one try ended. */
    record Result(boolean delivered, boolean retry, Integer httpStatus, String error) {
    }

    private void attempt(AlertRepository.Claimed c) {
        Result result;
        URI uri = null;
        try {
            String url = cipher.decryptString(c.urlSealed(), AlertService.urlPurpose(c.alert()));
            uri = URI.create(url);
            result = send(c, uri);
        } catch (RuntimeException e) {
            result = new Result(false, true, null, scrub(e.getClass().getSimpleName() + ": " + e.getMessage(), uri));
        }
        boolean last = c.attempts() >= config.maxAttempts();
        if (result.delivered()) {
            alerts.tried(c.id(), "delivered", result.httpStatus(), null, null).await().atMost(databaseWait);
            LOG.infof("Alert %s: delivered %s (%s) at try %d", c.alert(), c.event(), c.eventId(), c.attempts());
        } else if (result.retry() && !last) {
            Instant retryAt = Instant.now().plus(backoff(c.attempts(), config.retryDelay(), config.maxRetryDelay()));
            alerts.tried(c.id(), "pending", result.httpStatus(), result.error(), retryAt).await().atMost(databaseWait);
            LOG.warnf("Alert %s: try %d of %d for %s (%s) failed: %s; next try at %s", c.alert(), c.attempts(),
                    config.maxAttempts(), c.event(), c.eventId(), result.error(), retryAt);
        } else {
            alerts.tried(c.id(), "failed", result.httpStatus(), result.error(), null).await().atMost(databaseWait);
            LOG.errorf("Alert %s: giving up on %s (%s) after try %d: %s", c.alert(), c.event(), c.eventId(), c.attempts(),
                    result.error());
        }
    }

    /** The wait after try {@code attempt}: {@code base}, then twice as long each time, at most {@code max}. */
    static Duration backoff(int attempt, Duration base, Duration max) {
        long millis = base.toMillis() << Math.min(30, Math.max(0, attempt - 1));
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    private Result send(AlertRepository.Claimed c, URI uri) {
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress address;
        try {
            InetAddress[] resolved = InetAddress.getAllByName(bare);
            address = resolved[0];
            if (!config.allowPrivateTargets()) {
                for (InetAddress a : resolved) {
                    String refusal = AlertTargets.refusal(a);
                    if (refusal != null) {
                        return new Result(false, false, null, "the URL's host " + refusal);
                    }
                }
            }
        } catch (UnknownHostException e) {
            return new Result(false, true, null, "the URL's host '" + host + "' does not resolve");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        Instant now = Instant.now();
        String body;
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(bare).setPort(port)
                .setURI((uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setSsl(https).setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setConnectTimeout(config.timeout().toMillis()).setIdleTimeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json").putHeader("User-Agent", "testum-alerts");
        if (c.type() == AlertType.SLACK) {
            body = new JsonObject().put("text", slackText(c.payload())).encode();
        } else {
            body = c.payload().copy().put("alert", c.alert()).put("attempt", c.attempts()).put("sent_at", now.toString()).encode();
            String secret = cipher.decryptString(c.secretSealed(), AlertService.secretPurpose(c.alert()));
            request.putHeader("X-Testum-Event", c.event()).putHeader("X-Testum-Delivery", c.eventId().toString())
                    .putHeader("X-Testum-Timestamp", Long.toString(now.getEpochSecond()))
                    .putHeader("X-Testum-Signature", "sha256=" + sign(secret, body));
        }
        try {
            int status = client().request(request)
                    .compose(r -> r.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .toCompletionStage().toCompletableFuture()
                    .get(config.timeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
            if (status >= 200 && status < 300) {
                return new Result(true, false, status, null);
            }
            boolean retry = status >= 500 || status == 408 || status == 429;
            return new Result(false, retry, status, "the receiver answered HTTP " + status
                    + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, true, null, "interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            return new Result(false, true, null, "no answer within " + config.timeout().multipliedBy(2).toSeconds() + "s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Result(false, true, null, scrub(cause.getClass().getSimpleName() + ": " + cause.getMessage(), uri));
        }
    }

    private HttpClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.timeout().toMillis())
                            .setForceSni(true).setVerifyHost(true).setKeepAlive(false));
                }
            }
        }
        return client;
    }

    /** {@code sha256=} and this: the hex HMAC-SHA256 of the exact body under the alert's secret. */
    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** One line for a Slack-compatible channel; {@code &}, {@code <} and {@code >} escaped as Slack asks. */
    static String slackText(JsonObject payload) {
        String text = "testum: " + payload.getString("event") + ": " + payload.getString("message");
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** An error text without the URL's path or query (where its tokens are), and not too long. */
    static String scrub(String text, URI uri) {
        String out = text == null ? "" : text;
        if (uri != null) {
            out = out.replace(uri.toString(), AlertTargets.shown(uri.toString()));
            for (String part : new String[] { uri.getRawPath(), uri.getRawQuery(), uri.getRawUserInfo() }) {
                if (part != null && part.length() > 1) {
                    out = out.replace(part, "…");
                }
            }
        }
        return out.length() > MAX_ERROR ? out.substring(0, MAX_ERROR) + "…" : out;
    }
}
