package io.testum.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.qute.i18n.Message;

/**
 * Every text of the UI exists in Russian, and is written in Cyrillic where words are translated, in
 * each bundle; no bundle grows past what Quarkus can generate.
 */
class MessagesTest {

    /** Texts that read the same in both languages: names and symbols. */
    private static final Set<String> SAME_IN_BOTH = Set.of("nav_gitops", "source_git", "lang_other_code", "lang_other_name");
    private static final Pattern CYRILLIC = Pattern.compile("\\p{IsCyrillic}");

    /** Each bundle, by the name of its Russian file. */
    private static final Map<Class<?>, String> BUNDLES = Map.of(Msg.class, "msg", KeysMsg.class, "keymsg", OpsMsg.class, "opsmsg");

    /**
     * Quarkus (3.34) splits the lookup of a bundle with more messages than this into several methods,
     * and that split fails the JVM's verifier at start; a feature with many texts gets a bundle of its own.
     */
    private static final int MAX_MESSAGES = 300;

    private static Properties russian() throws IOException {
        return russian(Msg.class);
    }

    private static Properties russian(Class<?> bundle) throws IOException {
        Properties russian = new Properties();
        try (Reader in = new InputStreamReader(MessagesTest.class.getResourceAsStream("/messages/" + BUNDLES.get(bundle)
                + "_ru.properties"), StandardCharsets.UTF_8)) {
            russian.load(in);
        }
        return russian;
    }

    private static List<Method> messages(Class<?> bundle) {
        return Arrays.stream(bundle.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Message.class)).toList();
    }

    @Test
    void everyEnglishTextHasARussianOne() throws IOException {
        assertThat(messages(Msg.class)).hasSizeGreaterThan(100);
        for (Class<?> bundle : BUNDLES.keySet()) {
            Properties russian = russian(bundle);
            List<Method> messages = messages(bundle);
            assertThat(messages.stream().map(Method::getName).filter(name -> !russian.containsKey(name)))
                    .as("messages of " + bundle.getSimpleName() + " without a Russian text").isEmpty();
            assertThat(russian.stringPropertyNames()).as("Russian texts without a message in " + bundle.getSimpleName())
                    .allMatch(key -> messages.stream().anyMatch(m -> m.getName().equals(key)));
        }
    }

    @Test
    void russianTextsAreInRussian() throws IOException {
        for (Class<?> bundle : BUNDLES.keySet()) {
            Properties russian = russian(bundle);
            assertThat(messages(bundle).stream().map(Method::getName)
                    .filter(name -> !SAME_IN_BOTH.contains(name))
                    .filter(name -> !CYRILLIC.matcher(russian.getProperty(name, "")).find()))
                    .as("Russian texts of " + bundle.getSimpleName() + " without a Russian word").isEmpty();
        }
    }

    @Test
    void noBundleHoldsMoreMessagesThanQuarkusCanGenerate() {
        for (Class<?> bundle : BUNDLES.keySet()) {
            assertThat(messages(bundle)).as(bundle.getSimpleName() + ": start a bundle of its own for a new feature's texts")
                    .hasSizeLessThanOrEqualTo(MAX_MESSAGES);
        }
    }

    /** A new status without a text in either language fails here, not on a page. */
    @Test
    void everyStatusOfEveryKindHasATextInBothLanguages() throws Exception {
        Properties russian = russian();
        Map<String, Class<? extends Enum<?>>> kinds = Map.of("deployment", io.testum.deploy.DeploymentStatus.class,
                "reachability", io.testum.inventory.Reachability.class, "run", io.testum.runs.RunStatus.class,
                "reconcile", io.testum.gitops.RunResult.Result.class);
        for (var kind : kinds.entrySet()) {
            Method method = Arrays.stream(Msg.class.getDeclaredMethods()).filter(m -> m.getName().equals(kind.getKey()))
                    .findFirst().orElseThrow();
            assertThat(method.getParameterTypes()).as(kind.getKey() + " is keyed by its enum").containsExactly(kind.getValue());
            String english = method.getAnnotation(Message.class).value();
            for (Enum<?> status : kind.getValue().getEnumConstants()) {
                assertThat(english).as("English text of " + status).contains("{#is " + status.name() + "}");
                assertThat(russian.getProperty(kind.getKey())).as("Russian text of " + status).contains("{#is " + status.name() + "}");
            }
        }
    }
}
