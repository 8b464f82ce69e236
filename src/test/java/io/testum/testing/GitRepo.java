package io.testum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real Git repository made with the git command line, as an ops team's repository would be. */
public final class GitRepo {

    private final Path dir;

    private GitRepo(Path dir) {
        this.dir = dir;
    }

    /** {@code git init -b main} in {@code dir}. */
    public static GitRepo init(Path dir) {
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", "main", dir.toString());
        repo.git("-C", dir.toString(), "config", "user.email", "ops@example.com");
        repo.git("-C", dir.toString(), "config", "user.name", "Ops");
        return repo;
    }

    public Path dir() {
        return dir;
    }

    public String url() {
        return "file://" + dir.toAbsolutePath();
    }

    /** Writes the file, commits everything, and returns the commit's SHA. */
    public String commit(String path, String content, String message) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git("-C", dir.toString(), "add", "-A");
        git("-C", dir.toString(), "commit", "-q", "--allow-empty", "-m", message);
        return head();
    }

    public String remove(String path, String message) {
        git("-C", dir.toString(), "rm", "-q", "-r", path);
        git("-C", dir.toString(), "commit", "-q", "-m", message);
        return head();
    }

    public String head() {
        return git("-C", dir.toString(), "rev-parse", "HEAD").strip();
    }

    public void branch(String name) {
        git("-C", dir.toString(), "checkout", "-q", "-B", name);
    }

    public static String git(String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
