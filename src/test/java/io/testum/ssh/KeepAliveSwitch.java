package io.testum.ssh;

/** Turns {@code testum.ssh.keep-alive} on and off in a running service, for benchmarks that compare the two in one run. */
public final class KeepAliveSwitch {

    private KeepAliveSwitch() {
    }

    public static void set(SshConnector connector, boolean on) {
        connector.keepAlive(on);
    }
}
