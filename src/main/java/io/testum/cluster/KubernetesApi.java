package io.testum.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.testum.common.Names;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;

/**
 * The few calls testum makes to the Kubernetes API (read, create and replace one object of its
 * own namespace), over Vert.x's HTTP client with the pod's service account: the API server
 * {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}, trusted through the
 * account's {@code ca.crt}, a bearer token read from the account's token file at every call (the
 * kubelet rotates it), and the namespace from the account's {@code namespace} file.
 * <p>
 * Outside a pod, or to override a part, the settings the fabric8 client read are honoured, as
 * system properties or environment variables: {@code kubernetes.master} ({@code KUBERNETES_MASTER}),
 * {@code kubernetes.namespace}, {@code kubernetes.auth.token}, {@code kubernetes.auth.serviceAccount.token}
 * (the token file) and {@code kubernetes.certs.ca.file}. A token is sent only over HTTPS or to a
 * loopback address, never in clear text across a network.
 */
@ApplicationScoped
public class KubernetesApi {

    static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    /** An answer other than 2xx or 404, with the API's own message ({@code Status.message}). */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status; 0 when no answer came. */
        public int status() {
            return status;
        }
    }

    private final Vertx vertx;
    private final Optional<String> master;
    private final String namespace;
    private final Optional<String> token;
    private final Path tokenFile;
    private final Path caFile;
    private volatile HttpClient client;

    KubernetesApi(Vertx vertx,
            @ConfigProperty(name = "kubernetes.master") Optional<String> master,
            @ConfigProperty(name = "kubernetes.namespace") Optional<String> namespace,
            @ConfigProperty(name = "kubernetes.auth.token") Optional<String> token,
            @ConfigProperty(name = "kubernetes.auth.serviceAccount.token", defaultValue = SERVICE_ACCOUNT + "/token") String tokenFile,
            @ConfigProperty(name = "kubernetes.certs.ca.file", defaultValue = SERVICE_ACCOUNT + "/ca.crt") String caFile) {
        this.vertx = vertx;
        this.master = master.filter(m -> !m.isBlank());
        this.namespace = namespace.filter(n -> !n.isBlank()).orElseGet(KubernetesApi::serviceAccountNamespace);
        this.token = token.filter(t -> !t.isBlank());
        this.tokenFile = Path.of(tokenFile);
        this.caFile = Path.of(caFile);
    }

    /** The namespace testum works in: {@code kubernetes.namespace}, else the service account's, else {@code default}. */
    public String namespace() {
        return namespace;
    }

    private static String serviceAccountNamespace() {
        try {
            Path file = Path.of(SERVICE_ACCOUNT, "namespace");
            return Files.exists(file) ? Files.readString(file).strip() : "default";
        } catch (IOException e) {
            return "default";
        }
    }

    /** The object at {@code path} (built with {@link #path}); empty on 404. */
    public Optional<JsonObject> get(String path, Duration wait) {
        return Optional.ofNullable(call(HttpMethod.GET, path, null, wait));
    }

    /** Creates an object in the collection at {@code path}; 409 when it exists. */
    public JsonObject create(String path, JsonObject object, Duration wait) {
        return require(call(HttpMethod.POST, path, object, wait), path);
    }

    /**
     * Replaces the object at {@code path}; 409 when its {@code metadata.resourceVersion} is no longer
     * the stored one (another writer came first).
     */
    public JsonObject replace(String path, JsonObject object, Duration wait) {
        return require(call(HttpMethod.PUT, path, object, wait), path);
    }

    /**
     * A path of the API: {@code prefix} ({@code /api/v1}, {@code /apis/coordination.k8s.io/v1}), then
     * {@code namespaces/<namespace>/<resource>} and, when given, {@code /<name>}; a name that is not a
     * DNS subdomain is refused, so that no name reaches another path.
     */
    public String path(String prefix, String resource, String name) {
        String collection = prefix + "/namespaces/" + checked(namespace) + "/" + resource;
        return name == null ? collection : collection + "/" + checked(name);
    }

    private static String checked(String name) {
        if (!Names.isDnsSubdomain(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a Kubernetes object name (a lowercase DNS subdomain)");
        }
        return name;
    }

    private static JsonObject require(JsonObject answer, String path) {
        if (answer == null) {
            throw new ApiException(404, path + " does not exist");
        }
        return answer;
    }

    private JsonObject call(HttpMethod method, String path, JsonObject body, Duration wait) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the Kubernetes API is called blocking, never from an event loop");
        }
        URI server = server();
        boolean https = "https".equalsIgnoreCase(server.getScheme());
        RequestOptions request = new RequestOptions().setMethod(method).setHost(server.getHost())
                .setPort(server.getPort() > 0 ? server.getPort() : https ? 443 : 80).setSsl(https)
                .setURI(server.getRawPath() == null ? path : server.getRawPath().replaceAll("/+$", "") + path)
                .setConnectTimeout(wait.toMillis()).setIdleTimeout(wait.toMillis()).putHeader("Accept", "application/json").putHeader("User-Agent", "testum");
        bearer(server, https).ifPresent(t -> request.putHeader("Authorization", "Bearer " + t));
        Buffer payload = body == null ? null : body.toBuffer();
        if (payload != null) {
            request.putHeader("Content-Type", "application/json");
        }
        record Answer(int status, Buffer body) {
        }
        Answer answer;
        try {
            answer = client().request(request)
                    .compose(r -> payload == null ? r.send() : r.send(payload))
                    .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b)))
                    .toCompletionStage().toCompletableFuture()
                    .get(wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        } catch (TimeoutException e) {
            throw new ApiException(0, "the Kubernetes API did not answer within " + wait.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ApiException(0, "cannot reach the Kubernetes API at " + server + ": " + cause.getMessage());
        }
        if (answer.status() == 404 && method == HttpMethod.GET) {
            return null;
        }
        JsonObject json = json(answer.body());
        if (answer.status() / 100 != 2 || json == null) {
            String message = json != null && json.getValue("message") instanceof String m ? m : "no message";
            throw new ApiException(answer.status(), "HTTP " + answer.status() + " from the Kubernetes API: " + message);
        }
        return json;
    }

    private static JsonObject json(Buffer body) {
        try {
            return body.length() == 0 ? null : body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private URI server() {
        if (master.isPresent()) {
            String url = master.get().contains("://") ? master.get() : "https://" + master.get();
            return URI.create(url);
        }
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String port = System.getenv("KUBERNETES_SERVICE_PORT");
        if (host == null || host.isBlank()) {
            throw new ApiException(0, "testum is not in a Kubernetes pod (no KUBERNETES_SERVICE_HOST) and kubernetes.master "
                    + "names no API server");
        }
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + (port == null || port.isBlank() ? "443" : port));
    }

    /** The token to send: {@code kubernetes.auth.token}, else the service account's file, read now. */
    private Optional<String> bearer(URI server, boolean https) {
        Optional<String> found = token;
        if (found.isEmpty() && Files.isReadable(tokenFile)) {
            try {
                found = Optional.of(Files.readString(tokenFile).strip()).filter(t -> !t.isEmpty());
            } catch (IOException e) {
                throw new ApiException(0, "cannot read the service account token " + tokenFile + ": " + e.getMessage());
            }
        }
        if (found.isPresent() && !https && !loopback(server.getHost())) {
            throw new ApiException(0, "refusing to send the service account token in clear text to " + server
                    + ": the API server must be reached over https");
        }
        return found;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    // A connection per call: kept alive, a reused connection left about every other call
                    // unanswered until its wait ran out (KubernetesApiTest); a few calls a second need no reuse.
                    HttpClientOptions options = new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
                            .setVerifyHost(true).setForceSni(true).setKeepAlive(false);
                    if (Files.isReadable(caFile)) {
                        options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
                    }
                    client = vertx.createHttpClient(options);
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
