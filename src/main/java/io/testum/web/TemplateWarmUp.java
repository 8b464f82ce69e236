package io.testum.web;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.qute.Engine;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts Qute on a thread of its own as the first thing at startup, while the main thread waits
 * for the database and migrates the schema.
 * <p>
 * Qute's engine is a startup bean (priority 0) that parses every page template and every message
 * of the bundles, in both languages, before the service is ready: about a thousand templates, the
 * longest single step of a start (measured in the README, "Start and memory"). The bean is created
 * once; the startup step that needs it finds it made, or waits for this thread to finish it. A
 * failure here is left to that step, which raises it as a start failure.
 */
@Singleton
public class TemplateWarmUp {

    private static final Logger LOG = Logger.getLogger(TemplateWarmUp.class);

    private final Instance<Engine> engine;

    public TemplateWarmUp(Instance<Engine> engine) {
        this.engine = engine;
    }

    /** Before the schema migration (priority -1000), which waits for the embedded database. */
    void onStart(@Observes @Priority(-2000) StartupEvent event) {
        Thread.ofPlatform().name("qute-warm-up").daemon().start(this::warmUp);
    }

    private void warmUp() {
        long started = System.nanoTime();
        try {
            engine.get().getSectionHelperFactories();
            LOG.debugf("Qute parsed its templates in %d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.debugf("Qute did not start on the warm-up thread (%s); the startup step raises it", e.getMessage());
        }
    }
}
