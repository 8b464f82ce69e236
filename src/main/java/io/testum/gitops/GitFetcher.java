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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
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
import org.eclipse.jgit.util.FileUtils;
import org.jboss.logging.Logger;

import io.testum.common.BlockingWork;
import io.testum.ssh.HostKeys;

/**
 * Fetches a source with JGit into a bare mirror under the data directory and reads its document
 * at one commit, without a working tree. The one place testum uses JGit. Blocking: call it from a
 * worker thread.
 * <p>
 * A ref is checked ({@link GitRefs}) before it is looked up, so no lookup leaves the mirror; an
 * error never quotes what a lookup read, and every URL in it is masked ({@link GitUrls}). A
 * document is bounded: each file, the files of a folder together, and their number.
 */
public final class GitFetcher {

    private static final Logger LOG = Logger.getLogger(GitFetcher.class);

    /** What to fetch and how to get in. */
    public record Request(String name, String url, String ref, String path, String username, String token, KeyPair sshKey,
            HostKeyCheck hostKeys, Duration timeout) {

        @Override
        public String toString() {
            return "Request[" + name + ", " + GitUrls.mask(url) + "@" + ref + "]";
        }
    }

    /**
     * How the SSH host key of an {@code ssh://} source is checked: the declared key wins; else the
     * pinned one; else, unless {@code strict}, the first key seen is pinned.
     */
    public record HostKeyCheck(String declared, String pinned, boolean strict) {
        /** No key known, first contact pins. */
        public static final HostKeyCheck FIRST_CONTACT = new HostKeyCheck(null, null, false);
    }

    /** How big a document may be: all its files together, and how many files a folder may hold. */
    public record Limits(long maxBytes, int maxFiles) {
        public static final Limits DEFAULT = new Limits(32L * 1024 * 1024, 1000);

        static Limits of(GitopsConfig config) {
            return new Limits(config.maxDocumentBytes().asLongValue(), config.maxDocumentFiles());
        }
    }

    /** A commit and the document files it holds. */
    public record Fetched(String revision, List<DocumentParser.SourceFile> files) {
    }

    /** A fetch that failed: the reason is said without credentials. */
    public static class FetchException extends RuntimeException {
        FetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The ref is not a valid branch, tag or commit id, or the repository has none of that name. */
    public static final class UnknownRefException extends FetchException {
        UnknownRefException(String message) {
            super(message, null);
        }
    }

    /**
     * The document cannot be read from the revision: it is not where the source says, or it is over
     * a limit. An error of the document, not of the fetch.
     */
    public static final class UnreadableDocumentException extends RuntimeException {
        UnreadableDocumentException(String message) {
            super(message);
        }
    }

    private static final int MAX_FILE_BYTES = DocumentParser.MAX_FILE_BYTES;
    private static final int MAX_MESSAGE = 500;

    private final Path mirrors;
    private final Limits limits;

    public GitFetcher(Path mirrors, Limits limits) {
        this.mirrors = mirrors;
        this.limits = limits;
    }

    /**
     * Fetches {@code request.ref()} and reads the document at it.
     *
     * @param pinHostKey called with the SSH host key of an ssh:// source seen for the first time
     */
    public Fetched fetch(Request request, Consumer<String> pinHostKey) {
        BlockingWork.refuseOnEventLoop("A Git fetch of " + GitUrls.mask(request.url()));
        if (!GitRefs.isValid(request.ref())) {
            throw new UnknownRefException("The ref " + GitRefs.RULE);
        }
        Path dir = mirrors.resolve(request.name() + ".git");
        AtomicReference<String> refusedHostKey = new AtomicReference<>();
        try (Git git = open(dir)) {
            FetchCommand fetch = git.fetch().setRemote(request.url())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setTimeout((int) Math.max(1, request.timeout().toSeconds()))
                    .setForceUpdate(true);
            CredentialsProvider credentials = credentials(request);
            if (credentials != null) {
                fetch.setCredentialsProvider(credentials);
            }
            SshdSessionFactory ssh = SourceService.isSsh(request.url()) ? sshFactory(request, dir, pinHostKey, refusedHostKey) : null;
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
        } catch (GitAPIException | IOException | RuntimeException e) {
            if (e instanceof UnreadableDocumentException || e instanceof FetchException) {
                throw (RuntimeException) e;
            }
            if (refusedHostKey.get() != null) {
                throw new FetchException("Fetching " + GitUrls.mask(request.url()) + " failed: " + refusedHostKey.get(), null);
            }
            throw new FetchException("Fetching " + GitUrls.mask(request.url()) + " failed: " + clean(e), e);
        }
    }

    /** Deletes a mirror, e.g. after a one-shot import. */
    public void remove(String name) {
        Path dir = mirrors.resolve(name + ".git");
        try {
            // Files may vanish while the tree is deleted (JGit removes its own lock and pack files as it closes).
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING | FileUtils.RETRY);
        } catch (IOException e) {
            // a leftover mirror is harmless, and must not turn the caller's answer into a failure
            LOG.debugf("Could not remove the mirror %s: %s", name, e.getClass().getSimpleName());
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

    private static SshdSessionFactory sshFactory(Request request, Path dir, Consumer<String> pinHostKey,
            AtomicReference<String> refused) {
        if (request.sshKey() == null) {
            throw new FetchException("Fetching " + GitUrls.mask(request.url())
                    + " over SSH needs a credential (the source's credential)", null);
        }
        Path home = dir.resolve("ssh-home");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new FetchException("Cannot prepare the SSH directory of the mirror of " + request.name(), e);
        }
        HostKeyCheck check = request.hostKeys() == null ? HostKeyCheck.FIRST_CONTACT : request.hostKeys();
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(home.toFile())
                .setDefaultKeysProvider(ignored -> List.of(request.sshKey()))
                .setPreferredAuthentications("publickey")
                .setServerKeyDatabase((h, s) -> new CheckedKeys(check, pinHostKey, refused))
                .build(null);
    }

    /**
     * Accepts the declared host key, else the pinned one; with neither, pins the first key seen
     * unless the policy is strict. Says why it refused a key.
     */
    private record CheckedKeys(HostKeyCheck check, Consumer<String> pin, AtomicReference<String> refused)
            implements ServerKeyDatabase {

        @Override
        public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
            return List.of();
        }

        @Override
        public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                Configuration config, CredentialsProvider provider) {
            String fingerprint = HostKeys.fingerprint(serverKey);
            String expected = check.declared() != null ? check.declared() : check.pinned();
            if (expected != null) {
                if (expected.equals(fingerprint)) {
                    return true;
                }
                refused.set("the SSH host key of " + connectAddress + " is " + fingerprint + ", but the source "
                        + (check.declared() != null ? "declares " : "has pinned ") + expected + "; nothing was fetched. If the "
                        + "server's key changed, an admin sets the source's host_key to the new one");
                return false;
            }
            if (check.strict()) {
                refused.set("testum.ssh.host-key-policy is strict and the source declares no host_key; " + connectAddress
                        + " offers " + fingerprint + ". If that is the server's key, an admin sets it as the source's host_key");
                return false;
            }
            pin.accept(fingerprint);
            return true;
        }
    }

    private Fetched read(Repository repository, Request request) {
        ObjectId commitId;
        try {
            commitId = resolve(repository, request.ref());
        } catch (IOException e) {
            // the text of a lookup's failure may quote what it read: say only which ref
            throw new FetchException("Cannot read the ref '" + request.ref() + "' of the fetched repository", null);
        }
        if (commitId == null) {
            throw new UnknownRefException("The source has no branch, tag or commit '" + request.ref() + "'");
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit;
            try {
                commit = walk.parseCommit(commitId);
            } catch (IncorrectObjectTypeException | MissingObjectException e) {
                throw new UnknownRefException("The source has no commit '" + request.ref() + "'");
            }
            List<Blob> blobs = request.path() == null || request.path().isBlank()
                    ? defaultDocument(repository, commit)
                    : pathDocument(repository, commit, trim(request.path()));
            return new Fetched(commit.getName(), load(repository, blobs, request.path()));
        } catch (IOException e) {
            throw new FetchException("Cannot read revision " + commitId.getName() + " of the fetched repository: "
                    + e.getClass().getSimpleName(), null);
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
        if (GitRefs.isCommitId(ref)) {
            ObjectId id = ObjectId.fromString(ref);
            if (repository.getObjectDatabase().has(id)) {
                return id;
            }
        }
        return null;
    }

    /** A file of the document, not read yet. */
    private record Blob(String path, ObjectId id) {
    }

    private static List<Blob> defaultDocument(Repository repository, RevCommit commit) throws IOException {
        for (String candidate : DocumentParser.DEFAULT_PATHS) {
            try (TreeWalk walk = TreeWalk.forPath(repository, candidate, commit.getTree())) {
                if (walk != null && walk.getFileMode(0) != FileMode.TREE) {
                    return List.of(new Blob(candidate, walk.getObjectId(0)));
                }
            }
        }
        throw new UnreadableDocumentException("Revision " + commit.getName().substring(0, 12) + " holds none of "
                + DocumentParser.DEFAULT_PATHS + "; add one, or set the source's path");
    }

    private List<Blob> pathDocument(Repository repository, RevCommit commit, String path) throws IOException {
        try (TreeWalk single = TreeWalk.forPath(repository, path, commit.getTree())) {
            if (single == null) {
                throw new UnreadableDocumentException("Revision " + commit.getName().substring(0, 12) + " has no '" + path + "'");
            }
            if (single.getFileMode(0) != FileMode.TREE) {
                return List.of(new Blob(path, single.getObjectId(0)));
            }
        }
        List<Blob> files = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            walk.setFilter(PathFilter.create(path));
            while (walk.next()) {
                String file = walk.getPathString();
                if ((file.endsWith(".yaml") || file.endsWith(".yml")) && walk.getFileMode(0) != FileMode.GITLINK) {
                    if (files.size() == limits.maxFiles()) {
                        throw new UnreadableDocumentException("The folder '" + path + "' holds more than " + limits.maxFiles()
                                + " YAML files; a document may have at most " + limits.maxFiles()
                                + " (testum.gitops.max-document-files): split it across sources, or raise the limit");
                    }
                    files.add(new Blob(file, walk.getObjectId(0)));
                }
            }
        }
        if (files.isEmpty()) {
            throw new UnreadableDocumentException("The folder '" + path + "' holds no *.yaml or *.yml file");
        }
        files.sort(java.util.Comparator.comparing(Blob::path));
        return files;
    }

    /** Reads the files once their sizes, each and together, are known to be within the limits. */
    private List<DocumentParser.SourceFile> load(Repository repository, List<Blob> blobs, String path) throws IOException {
        long total = 0;
        try (ObjectReader reader = repository.newObjectReader()) {
            for (Blob blob : blobs) {
                long size = reader.getObjectSize(blob.id(), Constants.OBJ_BLOB);
                if (size > MAX_FILE_BYTES) {
                    throw new UnreadableDocumentException(blob.path() + " is " + size + " bytes; a file may hold at most "
                            + MAX_FILE_BYTES + " bytes (16 MiB): split it into several files of a folder");
                }
                total += size;
                if (total > limits.maxBytes()) {
                    throw new UnreadableDocumentException("The YAML files of " + (blobs.size() == 1 ? blob.path()
                            : "the folder '" + trim(path) + "'") + " hold more than " + limits.maxBytes()
                            + " bytes together; a document may hold at most " + limits.maxBytes()
                            + " bytes (testum.gitops.max-document-bytes): split it across sources, or raise the limit");
                }
            }
            List<DocumentParser.SourceFile> files = new ArrayList<>(blobs.size());
            for (Blob blob : blobs) {
                files.add(new DocumentParser.SourceFile(blob.path(), reader.open(blob.id(), Constants.OBJ_BLOB)
                        .getBytes(MAX_FILE_BYTES)));
            }
            return files;
        }
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

    /** The exception's message, one line, bounded, with any user-info of a URL masked. */
    private static String clean(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += " (" + root.getMessage() + ")";
        }
        text = GitUrls.mask(text.replaceAll("\\p{Cntrl}+", " ").strip());
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }
}
