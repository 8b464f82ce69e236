package io.testum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Options, flags and positional arguments in any order. */
class ArgsTest {

    private static Args args(String... words) {
        return new Args(List.of(words));
    }

    @Test
    void takesOptionsInBothFormsFlagsAndPositionalsInAnyOrder() {
        Args a = args("web-01", "--host=192.0.2.10", "--json", "-u", "deploy", "--label", "env=prod", "-l", "role=web");
        assertTrue(a.flag("--json"));
        assertEquals("192.0.2.10", a.option("--host"));
        assertEquals("deploy", a.option("-u", "--username"));
        assertEquals(Map.of("env", "prod", "role", "web"), a.pairs("--label", "-l"));
        assertEquals(List.of("web-01"), a.positionals());
    }

    @Test
    void aDoubleDashEndsOptionsSoACommandMayStartWithADash() {
        Args a = args("--wait", "host-0", "--", "-x", "--json");
        assertTrue(a.flag("--wait"));
        assertFalse(a.flag("--json"));
        assertEquals(List.of("host-0", "-x", "--json"), a.positionals());
    }

    @Test
    void refusesUnknownOptionsMissingValuesAndPairsWithoutEquals() {
        assertEquals("unknown option --colour", assertThrows(UsageException.class, () -> args("--colour").positionals())
                .getMessage());
        assertEquals("--host needs a value", assertThrows(UsageException.class, () -> args("--host").option("--host"))
                .getMessage());
        assertThrows(UsageException.class, () -> args("--selector", "env").pairs("--selector"));
        assertEquals("expected FILE", assertThrows(UsageException.class, () -> args().exactly("FILE")).getMessage());
        assertEquals(List.of("-"), args("-").positionals());
    }
}
