package io.testum.gitops;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.common.annotation.Blocking;
import io.testum.audit.AuditContext;
import io.testum.common.UnauthorizedException;
import io.testum.db.DatabaseConfig;
import io.testum.secrets.SecretCipher;

/**
 * Push webhooks: {@code POST /api/gitops/webhook/{name}} proves itself with the source's secret,
 * as GitHub ({@code X-Hub-Signature-256}), GitLab ({@code X-Gitlab-Token}) or testum
 * ({@code X-Testum-Signature: sha256=<HMAC of the body>}) send it. Comparisons take constant time.
 */
@Path("/api/gitops/webhook/{name}")
public class WebhookResource {

    private final SourceService sources;
    private final GitopsScheduler scheduler;
    private final SecretCipher cipher;
    private final AuditContext audit;
    private final Duration databaseWait;

    public WebhookResource(SourceService sources, GitopsScheduler scheduler, SecretCipher cipher, AuditContext audit,
            DatabaseConfig database) {
        this.sources = sources;
        this.scheduler = scheduler;
        this.cipher = cipher;
        this.audit = audit;
        this.databaseWait = database.waitTimeout();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public RestResponse<Map<String, Object>> receive(@PathParam("name") String name, byte[] body,
            @HeaderParam("X-Hub-Signature-256") String github, @HeaderParam("X-Gitlab-Token") String gitlab,
            @HeaderParam("X-Testum-Signature") String testum) {
        GitSource source = sources.require(name).await().atMost(databaseWait);
        byte[] payload = body == null ? new byte[0] : body;
        String provider = github != null ? "github" : gitlab != null ? "gitlab" : testum != null ? "testum" : null;
        audit.actor("webhook" + (provider == null ? "" : ":" + provider));
        if (source.webhookSecret() == null) {
            throw new UnauthorizedException("GitOps source '" + name + "' has no webhook secret, so no webhook can prove itself");
        }
        if (provider == null) {
            throw new UnauthorizedException("The webhook carries no X-Hub-Signature-256, X-Gitlab-Token or X-Testum-Signature");
        }
        byte[] secret = cipher.decrypt(source.webhookSecret(), GitSource.purpose(name, "webhook"));
        boolean valid = switch (provider) {
            case "github" -> Signatures.matches(github, Signatures.hmac(secret, payload));
            case "testum" -> Signatures.matches(testum, Signatures.hmac(secret, payload));
            default -> MessageDigest.isEqual(gitlab.getBytes(StandardCharsets.UTF_8), secret);
        };
        if (!valid) {
            throw new UnauthorizedException("The " + provider + " webhook signature does not match the source's secret");
        }
        scheduler.submit(name, "webhook");
        return RestResponse.status(RestResponse.Status.ACCEPTED, Map.of("source", name, "accepted", true));
    }

    /** HMAC-SHA256 signatures as {@code sha256=<hex>}. */
    static final class Signatures {
        private Signatures() {
        }

        static String hmac(byte[] secret, byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException(e);
            }
        }

        static boolean matches(String given, String expected) {
            return MessageDigest.isEqual(given.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8));
        }
    }
}
