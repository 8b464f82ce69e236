package io.testum.ssh;

/**
 * How MINA SSHD finds its cryptography. By default MINA registers the eddsa library's JCA provider
 * globally and later looks it up by name. A JVM that loads testum twice (dev-mode reloads, tests
 * that mix plain and {@code @QuarkusTest} classes) then hands out keys of the first class loader's
 * classes to the second, which fail with a ClassCastException. With {@code useNamed=false} each
 * class loader uses its own provider instance. Set before the first MINA call, and left alone when
 * the operator set it.
 */
final class MinaSecurity {

    static final String EDDSA_USE_NAMED = "org.apache.sshd.security.provider.EdDSA.useNamed";
    /**
     * The providers MINA may register: the JDK's and eddsa's. Bouncy Castle is not on the class
     * path; naming only these also keeps a native image from linking BC's registrar.
     */
    static final String REGISTRARS = "org.apache.sshd.security.registrars";
    static final String REGISTRAR_CLASSES = "org.apache.sshd.common.util.security.SunJCESecurityProviderRegistrar,"
            + "org.apache.sshd.common.util.security.eddsa.EdDSASecurityProviderRegistrar";
    private static volatile boolean configured;

    private MinaSecurity() {
    }

    static void configure() {
        if (!configured) {
            synchronized (MinaSecurity.class) {
                if (System.getProperty(EDDSA_USE_NAMED) == null) {
                    System.setProperty(EDDSA_USE_NAMED, "false");
                }
                if (System.getProperty(REGISTRARS) == null) {
                    System.setProperty(REGISTRARS, REGISTRAR_CLASSES);
                }
                configured = true;
            }
        }
    }
}
