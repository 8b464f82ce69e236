package io.testum.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged client ({@code cli/target/testumctl.jar}, which the build makes before the tests), with its
 * own home directory, standard input and environment. By default each invocation runs inside the test's
 * JVM, through the jar's own classes in a class loader of their own and the client's
 * {@code Testumctl.run} entry point, which takes everything it reads as arguments; {@link #launched}
 * runs each invocation as a process of its own, on the machine's default {@code java} when that is the
 * client's Java 17 or newer, for the tests that are about the launcher.
 */
public final class TestumctlProcess {

    public static final Path JAR = Path.of("cli", "target", "testumctl.jar");
    private static final String JAVA = pickJava();

    private final Path home;
    private final Path scratch;
    private final boolean launch;

    /** Runs in this JVM with {@code home} as {@code $HOME} (its {@code .testum/config.json} holds the login). */
    public TestumctlProcess(Path home, Path scratch) {
        this(home, scratch, false);
    }

    private TestumctlProcess(Path home, Path scratch, boolean launch) {
        this.home = home;
        this.scratch = scratch;
        this.launch = launch;
    }

    /** Each invocation a {@code java -jar} process of its own; output goes through {@code scratch}. */
    public static TestumctlProcess launched(Path home, Path scratch) {
        return new TestumctlProcess(home, scratch, true);
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
        return launch ? launch(stdin, env, args) : InJar.run(stdin, environment(env), home, args);
    }

    /** What a launched process would see: this one's environment without testum's own settings, with the home directory and {@code env}. */
    private Map<String, String> environment(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.keySet().removeIf(k -> k.startsWith("TESTUM_") || k.startsWith("JAVA_TOOL"));
        all.put("HOME", home.toString());
        all.putAll(env);
        return all;
    }

    private Result launch(String stdin, Map<String, String> env, String... args) {
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

    /** The jar's {@code Testumctl.run}, loaded once, apart from the test's own class path (the jar carries its picocli and Jackson). */
    private static final class InJar {

        private static final Method RUN = load();

        private static Method load() {
            try {
                URLClassLoader loader = new URLClassLoader("testumctl", new URL[] { JAR.toAbsolutePath().toUri().toURL() },
                        ClassLoader.getPlatformClassLoader());
                return loader.loadClass("io.testum.cli.Testumctl").getMethod("run", String[].class, InputStream.class,
                        PrintStream.class, PrintStream.class, Path.class, Map.class);
            } catch (IOException | ReflectiveOperationException e) {
                throw new IllegalStateException("cannot load testumctl from " + JAR.toAbsolutePath(), e);
            }
        }

        static Result run(String stdin, Map<String, String> env, Path home, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                int exit = (int) RUN.invoke(null, args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                        home, Map.copyOf(env));
                return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("testumctl " + List.of(args) + " threw", e.getCause());
            }
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
