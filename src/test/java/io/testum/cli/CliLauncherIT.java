package io.testum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged client: {@code cli/target/testumctl.jar} as the client's build leaves it, started through {@code bin/testumctl}. */
class CliLauncherIT {

    private static final Path JAR = Path.of("cli", "target", "testumctl.jar");
    private static final Path LAUNCHER = Path.of("bin", "testumctl");

    @TempDir
    Path home;

    /** The launcher's exit code and what it printed on stdout and stderr, together. */
    private record Run(int exit, String output) {
    }

    private Run launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("TESTUM_URL");
        builder.environment().remove("TESTUM_TOKEN");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    @Test
    void theJarHoldsTheClientCompiledForJava17WithItsLibrariesAndNamesItsMainClass() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> outside = jar.stream().map(e -> e.getName())
                    .filter(n -> !n.endsWith("/") && !n.startsWith("META-INF/") && !n.startsWith("io/testum/cli/")
                            && !n.startsWith("picocli/") && !n.startsWith("com/fasterxml/jackson/")
                            && !n.startsWith("org/yaml/snakeyaml/"))
                    .toList();
            assertEquals(List.of(), outside, "only the client, picocli, Jackson and SnakeYAML (for --output yaml)");
            assertTrue(jar.stream().noneMatch(e -> !e.isDirectory() && e.getName().startsWith("io/testum/")
                    && !e.getName().startsWith("io/testum/cli/")),
                    "no class of the service");
            assertEquals("io.testum.cli.Testumctl", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            try (DataInputStream in = new DataInputStream(jar.getInputStream(jar.getEntry("io/testum/cli/Testumctl.class")))) {
                assertEquals(0xCAFEBABE, in.readInt());
                in.readUnsignedShort();
                assertEquals(61, in.readUnsignedShort(), "class file version of Java 17");
            }
        }
    }

    @Test
    void theLauncherRunsTheJarFromTargetAndPassesArgumentsAndExitCodes() throws Exception {
        Run version = launch(LAUNCHER, Map.of(), "version");
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().startsWith("testumctl "), version.output());

        Run usage = launch(LAUNCHER, Map.of(), "platforms", "list", "--colour");
        assertEquals(2, usage.exit(), usage.output());
        assertTrue(usage.output().contains("Unknown option: '--colour'"), usage.output());

        Run unreachable = launch(LAUNCHER, Map.of("TESTUM_URL", "http://127.0.0.1:9", "TESTUM_TOKEN", "tsm_x"), "keys", "list");
        assertEquals(1, unreachable.exit(), unreachable.output());
        assertTrue(unreachable.output().startsWith("testumctl: cannot reach http://127.0.0.1:9"), unreachable.output());
    }

    @Test
    void anInstalledLauncherFindsTheJarBesideItOrInLibAndFollowsSymlinks() throws Exception {
        Path prefix = home.resolve("usr-local");
        Files.createDirectories(prefix.resolve("bin"));
        Files.createDirectories(prefix.resolve("lib/testum"));
        Files.copy(LAUNCHER, prefix.resolve("bin/testumctl"));
        Files.copy(JAR, prefix.resolve("lib/testum/testumctl.jar"));
        assertEquals(0, launch(prefix.resolve("bin/testumctl"), Map.of(), "version").exit());

        Path link = home.resolve("testumctl-link");
        Files.createSymbolicLink(link, LAUNCHER.toAbsolutePath());
        assertEquals(0, launch(link, Map.of(), "version").exit());

        Path lonely = home.resolve("lonely");
        Files.createDirectories(lonely);
        Files.copy(LAUNCHER, lonely.resolve("testumctl"));
        Run missing = launch(lonely.resolve("testumctl"), Map.of(), "version");
        assertEquals(2, missing.exit());
        assertTrue(missing.output().contains("testumctl.jar not found"), missing.output());
    }
}
