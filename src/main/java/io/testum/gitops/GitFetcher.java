package io.testum.gitops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

import io.testum.ssh.HostKeys;

/**
 * Fetches a source with JGit into a bare mirror under the data directory and reads its document
 * at one commit, without a working tree. The one place testum uses JGit. Blocking: call it from a
 * worker thread.
 */
public final class GitFetcher {

    /** What to fetch and how to get in. */
    public record Request(String name, String url, String ref, String path, String username, String token, KeyPair sshKey,
            String sshHostKey, Duration timeout) {

        @Override
        public String toString() {
            return "Request[" + name + ", " + url + "@" + ref + "]";
        }
    }

    /** A commit and the document files it holds. */
    public record Fetched(String revision, List<DocumentParser.SourceFile> files) {
    }

    /** A fetch that failed: the reason is said without credentials. */
    public static final class FetchException extends RuntimeException {
        FetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The document is not where the source says: an error of the document, not of the fetch. */
    public static final class MissingDocumentException extends RuntimeException {
        MissingDocumentException(String message) {
            super(message);
        }
    }

    private static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private final Path mirrors;

    public GitFetcher(Path mirrors) {
        this.mirrors = mirrors;
    }

    /**
     * Fetches {@code request.ref()} and reads the document at it.
     *
     * @param pinHostKey called with the SSH host key of an ssh:// source seen for the first time
     */
    public Fetched fetch(Request request, Consumer<String> pinHostKey) {
        Path dir = mirrors.resolve(request.name() + ".git");
        try (Git git = open(dir)) {
            FetchCommand fetch = git.fetch().setRemote(request.url())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setTimeout((int) Math.max(1, request.timeout().toSeconds()))
                    .setForceUpdate(true);
            CredentialsProvider credentials = credentials(request);
            if (credentials != null) {
                fetch.setCredentialsProvider(credentials);
            }
            SshdSessionFactory ssh = request.url().startsWith("ssh://") || request.url().contains("@") && !request.url().contains("://")
                    ? sshFactory(request, dir, pinHostKey) : null;
            try {
                if (ssh != null) {
                    fetch.setTransportConfigCallback(transport -> {
                        if (transport instanceof SshTransport sshTransport) {
                            sshTransport.setSshSessionFactory(ssh);
                        }
                    });
                }
                fetch.call();
            } finally {
                if (ssh != null) {
                    ssh.close();
                }
            }
            return read(git.getRepository(), request);
        } catch (GitAPIException | IOException e) {
            throw new FetchException("Fetching " + request.url() + " failed: " + clean(e), e);
        } catch (RuntimeException e) {
            if (e instanceof MissingDocumentException || e instanceof FetchException) {
                throw e;
            }
            throw new FetchException("Fetching " + request.url() + " failed: " + clean(e), e);
        }
    }

    /** Deletes a mirror, e.g. after a one-shot import. */
    public void remove(String name) {
        Path dir = mirrors.resolve(name + ".git");
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover mirror is harmless
        }
    }

    private static Git open(Path dir) throws IOException, GitAPIException {
        if (Files.isDirectory(dir.resolve("objects"))) {
            return Git.open(dir.toFile());
        }
        Files.createDirectories(dir);
        Git git = Git.init().setBare(true).setDirectory(dir.toFile()).call();
        StoredConfig config = git.getRepository().getConfig();
        config.setBoolean("gc", null, "auto", false);
        config.save();
        return git;
    }

    private static CredentialsProvider credentials(Request request) {
        if (request.token() == null && request.username() == null) {
            return null;
        }
        String user = request.username() == null || request.username().isBlank() ? "git" : request.username();
        return new UsernamePasswordCredentialsProvider(user, request.token() == null ? "" : request.token());
    }

    private static SshdSessionFactory sshFactory(Request request, Path dir, Consumer<String> pinHostKey) {
        if (request.sshKey() == null) {
            throw new FetchException("Fetching " + request.url() + " over SSH needs a credential (the source's credential)",
                    null);
        }
        Path home = dir.resolve("ssh-home");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new FetchException("Cannot prepare " + home + ": " + e.getMessage(), e);
        }
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(home.toFile())
                .setDefaultKeysProvider(ignored -> List.of(request.sshKey()))
                .setPreferredAuthentications("publickey")
                .setServerKeyDatabase((h, s) -> new PinningKeys(request, pinHostKey))
                .build(null);
    }

    /** Accepts the pinned host key only; pins the first one seen. */
    private record PinningKeys(Request request, Consumer<String> pin) implements ServerKeyDatabase {

        @Override
        public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
            return List.of();
        }

        @Override
        public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                Configuration config, CredentialsProvider provider) {
            String fingerprint = HostKeys.fingerprint(serverKey);
            if (request.sshHostKey() == null) {
                pin.accept(fingerprint);
                return true;
            }
            return request.sshHostKey().equals(fingerprint);
        }
    }

    private static Fetched read(Repository repository, Request request) throws IOException {
        ObjectId commitId = resolve(repository, request.ref());
        if (commitId == null) {
            throw new FetchException("The source has no branch, tag or commit '" + request.ref() + "'", null);
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(commitId);
            List<DocumentParser.SourceFile> files = request.path() == null || request.path().isBlank()
                    ? defaultDocument(repository, commit, request)
                    : pathDocument(repository, commit, trim(request.path()));
            return new Fetched(commit.getName(), files);
        }
    }

    private static ObjectId resolve(Repository repository, String ref) throws IOException {
        for (String name : List.of(Constants.R_REMOTES + "origin/" + ref, Constants.R_TAGS + ref)) {
            Ref found = repository.exactRef(name);
            if (found != null) {
                Ref peeled = repository.getRefDatabase().peel(found);
                return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
            }
        }
        if (ref.matches("[0-9a-f]{7,40}")) {
            ObjectId id = repository.resolve(ref);
            if (id != null && repository.getObjectDatabase().has(id)) {
                return id;
            }
        }
        return null;
    }

    private static List<DocumentParser.SourceFile> defaultDocument(Repository repository, RevCommit commit, Request request)
            throws IOException {
        for (String candidate : DocumentParser.DEFAULT_PATHS) {
            try (TreeWalk walk = TreeWalk.forPath(repository, candidate, commit.getTree())) {
                if (walk != null && walk.getFileMode(0) != FileMode.TREE) {
                    return List.of(new DocumentParser.SourceFile(candidate, blob(repository, walk.getObjectId(0), candidate)));
                }
            }
        }
        throw new MissingDocumentException("Revision " + commit.getName().substring(0, 12) + " holds none of "
                + DocumentParser.DEFAULT_PATHS + "; add one, or set the source's path");
    }

    private static List<DocumentParser.SourceFile> pathDocument(Repository repository, RevCommit commit, String path)
            throws IOException {
        try (TreeWalk single = TreeWalk.forPath(repository, path, commit.getTree())) {
            if (single == null) {
                throw new MissingDocumentException("Revision " + commit.getName().substring(0, 12) + " has no '" + path + "'");
            }
            if (single.getFileMode(0) != FileMode.TREE) {
                return List.of(new DocumentParser.SourceFile(path, blob(repository, single.getObjectId(0), path)));
            }
        }
        List<DocumentParser.SourceFile> files = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            walk.setFilter(PathFilter.create(path));
            while (walk.next()) {
                String file = walk.getPathString();
                if (file.endsWith(".yaml") || file.endsWith(".yml")) {
                    files.add(new DocumentParser.SourceFile(file, blob(repository, walk.getObjectId(0), file)));
                }
            }
        }
        if (files.isEmpty()) {
            throw new MissingDocumentException("The folder '" + path + "' holds no *.yaml or *.yml file");
        }
        files.sort(java.util.Comparator.comparing(DocumentParser.SourceFile::path));
        return files;
    }

    private static byte[] blob(Repository repository, ObjectId id, String path) throws IOException {
        var loader = repository.open(id);
        if (loader.getSize() > MAX_FILE_BYTES) {
            throw new MissingDocumentException(path + " is " + loader.getSize() + " bytes; the limit is " + MAX_FILE_BYTES);
        }
        return loader.getBytes();
    }

    private static String trim(String path) {
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The exception's message, with any user-info of a URL removed. */
    private static String clean(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += " (" + root.getMessage() + ")";
        }
        return text.replaceAll("://[^/@\\s]+@", "://***@");
    }
}
