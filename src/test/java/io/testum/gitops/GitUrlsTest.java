package io.testum.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** URLs as testum shows, logs and exports them: without the user-info that may hold a token. */
class GitUrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://bot:s3cret@git.example.com/ops.git | https://***@git.example.com/ops.git",
            "https://ghp_T0ken@github.com/ops/fleet.git | https://***@github.com/ops/fleet.git",
            "HTTP://u:p@host:8080/x | HTTP://***@host:8080/x",
            "https://us@er:p@ss@host/x.git | https://***@host/x.git",
            "git://t@host/x | git://***@host/x",
            "ssh://git@github.com/ops/fleet.git | ssh://git@github.com/ops/fleet.git",
            "ssh://git:pw@host/x.git | ssh://git:***@host/x.git",
            "ssh://:pw@host/x.git | ssh://***@host/x.git",
            "git@github.com:ops/fleet.git | git@github.com:ops/fleet.git",
            "https://git.example.com/ops.git | https://git.example.com/ops.git",
            "https://host/path@v1 | https://host/path@v1",
            "Fetching http://bot:tok@127.0.0.1:1/x.git failed: http://bot:tok@127.0.0.1:1/x.git: not authorized "
                    + "| Fetching http://***@127.0.0.1:1/x.git failed: http://***@127.0.0.1:1/x.git: not authorized",
            "mail bob@example.com about https://a@b | mail bob@example.com about https://***@b" })
    void masksTheUserInfoOfEveryUrlInAText(String text, String shown) {
        assertEquals(shown, GitUrls.mask(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://bot:s3cret@git.example.com/ops.git | https://git.example.com/ops.git",
            "https://ghp_T0ken@github.com/ops/fleet.git | https://github.com/ops/fleet.git",
            "ssh://git@host/x.git | ssh://git@host/x.git",
            "ssh://git:pw@host/x.git | ssh://git@host/x.git",
            "git@github.com:ops/fleet.git | git@github.com:ops/fleet.git",
            "file:///srv/git/ops | file:///srv/git/ops" })
    void exportsUrlsWithoutAnySecret(String url, String exported) {
        assertEquals(exported, GitUrls.withoutSecrets(url));
    }
}
