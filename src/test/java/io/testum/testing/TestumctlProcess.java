package io.testum.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged client ({@code cli/target/testumctl.jar}, which the build makes before the tests) as a
 * process of its own: on the machine's default {@code java} when that is the client's Java 17 or newer,
 * with its own home directory, standard input and environment.
 */
public final class TestumctlProcess {

    public static final Path JAR = Path.of("cli", "target", "testumctl.jar");
    private static final String JAVA = pickJava();

    private final Path home;
    private final Path scratch;

    /** Runs with {@code home} as {@code $HOME} (its {@code .testum/config.json} holds the login); output goes through {@code scratch}. */
    public TestumctlProcess(Path home, Path scratch) {
        this.home = home;
        this.scratch = scratch;
    }

    /** What one invocation printed and how it ended. */
    public record Result(int exit, String out, String err) {

        public List<String> outLines() {
            return out.lines().toList();
        }
    }

    public Result run(String... args) {
        return run("", Map.of(), args);
    }

    public Result run(String stdin, Map<String, String> env, String... args) {
        try {
            List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(k -> k.startsWith("TESTUM_") || k.startsWith("JAVA_TOOL"));
            builder.environment().put("HOME", home.toString());
            builder.environment().putAll(env);
            // stdout and stderr go to files: no reader threads, so nothing here waits in a pool the service shares
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("testumctl %s ended", List.of(args)).isTrue();
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The machine's {@code java} when it runs the client (17 or newer), else the one running the tests. */
    private static String pickJava() {
        try {
            Process version = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("version \"(\\d+)").matcher(text);
            if (version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0 && m.find()
                    && Integer.parseInt(m.group(1)) >= 17) {
                return "java";
            }
        } catch (IOException e) {
            // no java on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
