package io.testum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code testumctl completion bash|zsh}: a script that bash loads and that completes commands and values. */
class CompletionTest {

    @TempDir
    Path home;

    private String script(String shell) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Testumctl.run(new String[] { "completion", shell }, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                home, Map.of());
        assertEquals(0, exit);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What bash offers after {@code words} (the last one being completed), with the script loaded. */
    private String complete(String... words) throws IOException, InterruptedException {
        Path file = home.resolve("testumctl.bash");
        Files.writeString(file, script("bash"));
        String line = "source " + file + " && COMP_WORDS=(" + String.join(" ", words) + ") && COMP_CWORD=" + (words.length - 1)
                + " && COMP_LINE=\"" + String.join(" ", words) + "\" && COMP_POINT=${#COMP_LINE} && _complete_testumctl testumctl"
                + " && echo \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "-c", line).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertEquals(0, bash.exitValue(), printed);
        return printed.strip();
    }

    @Test
    void bashCompletesCommandsSubcommandsAndOutputFormats() throws Exception {
        assertThat(complete("testumctl", "cred")).isEqualTo("credentials");
        assertThat(complete("testumctl", "credentials", "pub")).isEqualTo("public-key");
        assertThat(complete("testumctl", "grants", "list", "--output", "")).contains("table").contains("json").contains("yaml");
    }

    @Test
    void theZshScriptLoadsBashCompletionInZsh() {
        String zsh = script("zsh");
        assertThat(zsh).contains("ZSH_VERSION").contains("bashcompinit").contains("complete -F _complete_testumctl");
        assertThat(script("bash")).contains("_complete_testumctl");
    }

    @Test
    void anotherShellIsAUsageError() {
        assertEquals(2, Testumctl.run(new String[] { "completion", "fish" }, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), home, Map.of()));
    }
}
