package io.testum.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Who testum runs as, for the PostgreSQL programs, which refuse to run as root. */
final class RunningUser {

    private static final List<Path> UNSHARE = List.of(Path.of("/usr/bin/unshare"), Path.of("/bin/unshare"));

    private RunningUser() {
    }

    /** Whether this process runs as root (the owner of {@code /proc/self}, else the {@code user.name} property). */
    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** util-linux's {@code unshare}, which runs a program in a user namespace of its own. */
    static String unshare() {
        return UNSHARE.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("testum runs as root, PostgreSQL refuses to, and util-linux's "
                        + "unshare, which would start it in a user namespace, is missing. Run testum as an unprivileged user, "
                        + "install util-linux, or set testum.db.url to use an external PostgreSQL."));
    }
}
