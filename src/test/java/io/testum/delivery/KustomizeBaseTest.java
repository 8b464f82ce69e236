package io.testum.delivery;

import static io.testum.delivery.Manifests.at;
import static io.testum.delivery.Manifests.container;
import static io.testum.delivery.Manifests.kind;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Kustomize base: every listed resource exists, and what a cluster operator relies on is in it. */
class KustomizeBaseTest {

    private static final Path BASE = Path.of("k8s", "base");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> base() throws IOException {
        Map<String, Object> kustomization = Manifests.parse(Files.readString(BASE.resolve("kustomization.yaml"))).get(0);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object resource : (List<Object>) kustomization.get("resources")) {
            docs.addAll(Manifests.parse(Files.readString(BASE.resolve((String) resource))));
        }
        return docs;
    }

    @Test
    void listsEveryResourceTheClusterNeeds() throws IOException {
        assertThat(base()).extracting(d -> d.get("kind")).contains("Deployment", "Service", "ServiceAccount", "ConfigMap",
                "Role", "RoleBinding", "PodDisruptionBudget", "NetworkPolicy");
    }

    @Test
    void runsNonRootReadOnlyWithProbesAndNoPlainSecrets() throws IOException {
        List<Map<String, Object>> docs = base();
        Map<String, Object> deployment = kind(docs, "Deployment");
        Map<String, Object> c = container(deployment);

        assertThat(at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        assertThat(at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
        assertThat(at(c, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(Manifests.plainSecrets(docs)).isEmpty();
    }

    @Test
    void trustsNoForwardedHeadersUntilTheOperatorNamesTheProxies() throws IOException {
        assertThat(Manifests.untrustedForwarding(base())).isEmpty();
    }

    @Test
    void theRoleGrantsTheLeaderLeaseAndNamedSecretsOnly() throws IOException {
        List<?> rules = (List<?>) at(kind(base(), "Role"), "rules");

        assertThat(rules).hasSize(3);
        assertThat(at(rules, 0, "resourceNames")).isEqualTo(List.of("testum-leader"));
        assertThat(at(rules, 0, "verbs")).isEqualTo(List.of("get", "update"));
        assertThat(at(rules, 1, "resources")).isEqualTo(List.of("leases"));
        assertThat(at(rules, 1, "verbs")).isEqualTo(List.of("create"));
        assertThat(at(rules, 2, "resourceNames")).isNotNull();
        assertThat(at(rules, 2, "verbs")).isEqualTo(List.of("get"));
    }
}
