package io.testum.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;

/**
 * Every type a page's template reads has a resolver generated at build time. Qute generates one
 * only for the members a validated expression names; a parameter of {@code {#include}} or of a
 * user tag, and the templates those render, are not validated, so on the JVM they fall back to
 * reflection, and in a native image (which has no reflection for them) the page fails with a 500.
 * So each such type is annotated {@link TemplateData}, or named by {@link TemplateTypes} when it
 * belongs to another package.
 */
class TemplateDataTest {

    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void everyTypeReachableFromAPageTemplateHasAGeneratedResolver() throws Exception {
        Set<Class<?>> covered = new HashSet<>(List.of(TemplateTypes.class.getAnnotationsByType(TemplateData.class)).stream()
                .map(TemplateData::target).toList());
        Set<Class<?>> reached = new HashSet<>();
        for (Class<?> page : checkedTemplates()) {
            for (Method m : page.getDeclaredMethods()) {
                if (Modifier.isNative(m.getModifiers())) {
                    for (Type t : m.getGenericParameterTypes()) {
                        walk(t, reached);
                    }
                }
            }
        }
        assertThat(reached).as("view types").hasSizeGreaterThan(20);
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : reached) {
            if (!type.isAnnotationPresent(TemplateData.class) && !covered.contains(type)) {
                missing.add(type.getName());
            }
        }
        assertThat(missing).as("types a template reads without a generated resolver").isEmpty();
    }

    private static void walk(Type type, Set<Class<?>> reached) {
        if (type instanceof ParameterizedType p) {
            walk(p.getRawType(), reached);
            for (Type argument : p.getActualTypeArguments()) {
                walk(argument, reached);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                walk(bound, reached);
            }
        } else if (type instanceof Class<?> c) {
            if (c.isArray()) {
                walk(c.getComponentType(), reached);
                return;
            }
            if (!c.getName().startsWith("io.testum.") || c.isEnum() || !reached.add(c)) {
                return;
            }
            if (c.isRecord()) {
                for (RecordComponent component : c.getRecordComponents()) {
                    walk(component.getGenericType(), reached);
                }
            }
        }
    }

    private static List<Class<?>> checkedTemplates() throws IOException, ClassNotFoundException {
        List<Class<?>> found = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("io/testum"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, TemplateDataTest.class.getClassLoader());
                if (c.isAnnotationPresent(CheckedTemplate.class)) {
                    found.add(c);
                }
            }
        }
        assertThat(found).as("@CheckedTemplate classes").hasSizeGreaterThan(10);
        return found;
    }
}
