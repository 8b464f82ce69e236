package io.testum.testing;

import java.nio.file.Path;

/**
 * A Git repository served over SSH by a real sshd of {@link SshFleet}: a bare clone in the host
 * user's home, owned by that user, fetched with {@code git-upload-pack} through the user's shell.
 */
public final class SshGitRepo {

    private SshGitRepo() {
    }

    /**
     * Clones {@code repo} bare into {@code host}'s home and lets {@code publicKey} log in.
     *
     * @return the {@code ssh://} URL of the clone
     */
    public static String serve(SshFleet.Host host, GitRepo repo, String publicKey) {
        Path bare = host.home().resolve("ops.git");
        SshFleet.deleteTree(bare);
        GitRepo.git("clone", "-q", "--bare", repo.dir().toString(), bare.toString());
        host.asRoot("chown", "-R", host.user() + ":" + host.user(), bare.toString());
        host.writeAuthorizedKeys(publicKey + "\n");
        return "ssh://" + host.user() + "@127.0.0.1:" + host.port() + bare;
    }

    /** Pushes the current state of {@code repo} to the clone {@link #serve} made. */
    public static void update(SshFleet.Host host, GitRepo repo) {
        Path bare = host.home().resolve("ops.git");
        GitRepo.git("-C", repo.dir().toString(), "push", "-q", "-f", bare.toString(), "main");
        host.asRoot("chown", "-R", host.user() + ":" + host.user(), bare.toString());
    }
}
