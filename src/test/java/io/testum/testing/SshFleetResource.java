package io.testum.testing;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;

/**
 * Starts an {@link SshFleet} of real sshd processes for a test class and stops it afterwards.
 * <p>
 * A {@code @QuarkusTest} says {@link WithSshFleet @WithSshFleet(hosts = 2)} and declares a field
 * {@code SshFleet fleet;}: the fleet starts before the application and stops after it, like
 * {@link PostgresResource}. A plain JUnit test (the {@code ssh/} component tests build their
 * connector by hand and need no application) registers the same resource as an extension:
 * {@code @RegisterExtension static final SshFleetResource HOSTS = SshFleetResource.hosts(2, true);}
 * and reads {@link #fleet()}.
 */
public class SshFleetResource
        implements QuarkusTestResourceConfigurableLifecycleManager<WithSshFleet>, BeforeAllCallback, AfterAllCallback {

    private List<SshFleet.Kind> kinds = List.of(SshFleet.Kind.OPENSSH);
    private boolean passwords;
    private SshFleet fleet;

    /** For {@link WithSshFleet}; configured by {@link #init(WithSshFleet)}. */
    public SshFleetResource() {
    }

    private SshFleetResource(List<SshFleet.Kind> kinds, boolean passwords) {
        this.kinds = kinds;
        this.passwords = passwords;
    }

    /** {@code count} OpenSSH hosts, as a JUnit extension. */
    public static SshFleetResource hosts(int count, boolean passwords) {
        return new SshFleetResource(Collections.nCopies(count, SshFleet.Kind.OPENSSH), passwords);
    }

    @Override
    public void init(WithSshFleet settings) {
        kinds = settings.kinds().length > 0 ? List.of(settings.kinds())
                : Collections.nCopies(settings.hosts(), SshFleet.Kind.OPENSSH);
        passwords = settings.passwords();
    }

    @Override
    public Map<String, String> start() {
        fleet = SshFleet.start(kinds, passwords);
        return Map.of();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(fleet, new TestInjector.MatchesType(SshFleet.class));
    }

    @Override
    public void stop() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The running fleet. */
    public SshFleet fleet() {
        return fleet;
    }
}
