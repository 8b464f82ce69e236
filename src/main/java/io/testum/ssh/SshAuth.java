package io.testum.ssh;

/** How testum proves who it is. The secrets never appear in {@link #toString()}. */
public sealed interface SshAuth {

    /** A private key in OpenSSH format. */
    record Key(String openSshPrivateKey) implements SshAuth {
        @Override
        public String toString() {
            return "Key[***]";
        }
    }

    record Password(String password) implements SshAuth {
        @Override
        public String toString() {
            return "Password[***]";
        }
    }
}
