package io.testum.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.testum.common.FieldError;
import io.testum.common.Violations;

class RunScriptTest {

    private static String stdin(RunScript s) {
        return new String(s.stdin(), StandardCharsets.UTF_8);
    }

    @Test
    void exportsTheEnvironmentQuotedThenHandsTheScriptToAShellWithDashS() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "it's $(x)");
        env.put("B", "");
        String in = stdin(new RunScript("echo hi", "bash", List.of("a b", "$HOME"), env));
        List<String> lines = in.lines().toList();

        assertThat(lines.get(0)).isEqualTo("A='it'\\''s $(x)'; export A");
        assertThat(lines.get(1)).isEqualTo("B=''; export B");
        assertThat(lines.get(2)).matches("exec 'bash' -s 'a b' '\\$HOME' <<'TESTUM_SCRIPT_[0-9a-f]{32}'");
        String delimiter = lines.get(2).replaceAll(".*<<'(.*)'", "$1");
        assertThat(lines.subList(3, lines.size())).containsExactly("echo hi", delimiter);
    }

    @Test
    void otherInterpretersReadTheProgramFromDashAndTheDefaultIsBinSh() {
        assertThat(stdin(new RunScript("print(1)\n", "/usr/bin/python3", null, null))).startsWith("exec '/usr/bin/python3' - <<'");
        RunScript plain = new RunScript("true", null, null, null);
        assertThat(plain.interpreter()).isEqualTo("/bin/sh");
        assertThat(stdin(plain)).startsWith("exec '/bin/sh' -s <<'");
    }

    @Test
    void theDelimiterIsNeverALineOfTheScript() {
        String in = stdin(new RunScript("TESTUM_SCRIPT_\nx", "sh", null, null));
        String delimiter = in.lines().findFirst().orElseThrow().replaceAll(".*<<'(.*)'", "$1");
        assertThat(in.lines().filter(delimiter::equals)).hasSize(1);
        assertThat(in).endsWith("x\n" + delimiter + "\n");
    }

    @Test
    void refusesInterpretersTheShellWouldReadAndBadNamesOrSizes() {
        Violations v = new Violations();
        RunScript.check(new RunScript("x".repeat(11), "sh -c", List.of("ok", "nul\0"), Map.of("9X", "v")), 10, v);
        assertThat(v.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("script", "interpreter", "args[1]", "env");
        for (String fine : List.of("python3", "/usr/bin/env", "bash", "perl5.36", "/opt/my-tools/run_it")) {
            Violations ok = new Violations();
            RunScript.check(new RunScript("x", fine, null, Map.of("_OK1", "v")), 10, ok);
            assertThat(ok.errors()).as(fine).isEmpty();
        }
    }
}
