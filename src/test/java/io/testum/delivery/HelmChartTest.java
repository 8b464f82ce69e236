package io.testum.delivery;

import static io.testum.delivery.Manifests.at;
import static io.testum.delivery.Manifests.container;
import static io.testum.delivery.Manifests.kind;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** The Helm chart, linted strictly and rendered with the default and the HA values. */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "testum");

    private static List<Map<String, Object>> render(Path values) {
        var template = new Helm(CHART).template().withName("testum").withNamespace("ops");
        if (values != null) {
            template = template.withValuesFile(values);
        }
        return Manifests.parse(template.call());
    }

    @Test
    void lintsStrictly() {
        LintResult defaults = new Helm(CHART).lint().strict().call();
        assertThat(defaults.isFailed()).as(String.join("\n", defaults.getMessages())).isFalse();
    }

    @Test
    void probesSecurityContextAndRolePinnedInTheDefaultRendering() {
        List<Map<String, Object>> docs = render(null);
        Map<String, Object> deployment = kind(docs, "Deployment");
        Map<String, Object> c = container(deployment);

        assertThat(at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        assertThat(at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
        assertThat(at(c, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(c, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(at(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(c, "resources", "limits", "memory")).isNotNull();

        List<?> rules = (List<?>) at(kind(docs, "Role"), "rules");
        assertThat(rules).hasSize(2);
        assertThat(at(rules, 0, "resources")).isEqualTo(List.of("leases"));
        assertThat(at(rules, 0, "resourceNames")).isEqualTo(List.of("testum-leader"));
        assertThat(at(rules, 0, "verbs")).isEqualTo(List.of("get", "update"));
        assertThat(at(rules, 1, "resources")).isEqualTo(List.of("leases"));
        assertThat(at(rules, 1, "verbs")).isEqualTo(List.of("create"));
        assertThat(Manifests.plainSecrets(docs)).isEmpty();
    }

    @Test
    void highAvailabilityValuesGiveReplicasIngressAndSecretsReadableByNameOnly() {
        List<Map<String, Object>> docs = render(CHART.resolve("values-ha.yaml"));

        assertThat(at(kind(docs, "Deployment"), "spec", "replicas")).isEqualTo(3);
        assertThat(at(kind(docs, "PodDisruptionBudget"), "spec", "minAvailable")).isEqualTo(2);
        assertThat(at(kind(docs, "Ingress"), "spec", "rules", 0, "host")).isEqualTo("testum.example.com");
        assertThat(at(kind(docs, "ConfigMap"), "data", "TESTUM_LEADER_ELECTION")).isEqualTo("kubernetes");
        List<?> rules = (List<?>) at(kind(docs, "Role"), "rules");
        assertThat(at(rules, 2, "resources")).isEqualTo(List.of("secrets"));
        assertThat(at(rules, 2, "resourceNames")).isEqualTo(List.of("testum-ssh-credentials"));
        assertThat(at(rules, 2, "verbs")).isEqualTo(List.of("get"));
        assertThat(Manifests.plainSecrets(docs)).isEmpty();
        List<?> env = (List<?>) at(container(kind(docs, "Deployment")), "env");
        assertThat(env).anySatisfy(e -> assertThat(at(e, "name")).isEqualTo("TESTUM_GITOPS_WEBHOOK_SECRET"))
                .anySatisfy(e -> assertThat(at(e, "name")).isEqualTo("POD_NAME"));
    }

    @Test
    void trustsForwardedHeadersOnlyFromTheProxiesTheOperatorNames() {
        assertThat(Manifests.untrustedForwarding(render(null))).isEmpty();
        assertThat(Manifests.untrustedForwarding(render(CHART.resolve("values-ha.yaml")))).isEmpty();
        assertThat(at(kind(render(null), "ConfigMap"), "data", "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING")).isNull();

        Map<String, Object> behindIngress = kind(Manifests.parse(new Helm(CHART).template().withName("testum")
                .set("proxy.trustedProxies", "10.42.0.0/16").call()), "ConfigMap");
        assertThat(at(behindIngress, "data", "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING")).isEqualTo("true");
        assertThat(at(behindIngress, "data", "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES")).isEqualTo("10.42.0.0/16");
    }

    @Test
    void aSecretPassedAsAPlainValueIsCaught() {
        List<Map<String, Object>> docs = Manifests.parse(new Helm(CHART).template().withName("testum")
                .set("extraEnv[0].name", "TESTUM_DB_PASSWORD").set("extraEnv[0].value", "hunter2hunter2").call());

        assertThat(Manifests.plainSecrets(docs)).containsExactly("env TESTUM_DB_PASSWORD");
    }
}
