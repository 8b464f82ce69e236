package io.testum.web;

import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.qute.Engine;
import io.quarkus.runtime.StartupEvent;

/**
 * Qute parses every page and message template when its engine is created, and Quarkus creates it
 * in a startup observer: about a quarter of the native executable's start, on the one thread that
 * starts everything. This starts the creation on a thread of its own before the first startup
 * observer (the schema check, which mostly waits for PostgreSQL), so the two overlap on a second
 * core; Qute's own observer then finds the engine made, or waits for it. A failure here is left to
 * that observer, which creates the engine again and fails the start as before.
 */
@ApplicationScoped
class TemplatesAtStart {

    private static final Logger LOG = Logger.getLogger(TemplatesAtStart.class);

    private final Instance<Engine> engine;

    TemplatesAtStart(Instance<Engine> engine) {
        this.engine = engine;
    }

    /** Before {@code SchemaMigration} (priority -1000). */
    void onStart(@Observes @Priority(-2000) StartupEvent event) {
        prepareBeside(engine::get);
    }

    /** Runs {@code create} on a thread of its own; returns that thread. */
    static Thread prepareBeside(Supplier<?> create) {
        return Thread.ofPlatform().name("testum-templates").daemon().start(() -> {
            try {
                create.get();
            } catch (RuntimeException e) {
                LOG.debugf(e, "The template engine was not made ahead of startup; Qute's startup observer makes it");
            }
        });
    }
}
