package io.testum.ssh;

/**
 * For whom a connection may be kept open after its work, and what a later login must still be
 * for it to serve again (see {@link SshConnector#connect(SshTarget, KeepFor, SshWork)}).
 *
 * @param owner           what the connection is kept for (a platform, by id and name): at most one is kept per owner
 * @param credential      the name of the credential the login uses
 * @param expectedHostKey the host key the owner expects now ({@code SHA256:...}: its pin, else its declared key), or
 *                        null when it expects none yet (a forgotten pin): then no kept connection serves it
 */
public record KeepFor(String owner, String credential, String expectedHostKey) {
}
