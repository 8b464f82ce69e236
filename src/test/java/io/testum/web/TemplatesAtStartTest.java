package io.testum.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class TemplatesAtStartTest {

    @Test
    void makesTheEngineOnAThreadOfItsOwn() throws InterruptedException {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Thread thread = TemplatesAtStart.prepareBeside(() -> {
            ranOn.set(Thread.currentThread());
            return "engine";
        });
        thread.join(10_000);
        assertThat(ranOn.get()).isSameAs(thread).isNotSameAs(Thread.currentThread());
        assertThat(thread.isDaemon()).as("never holds up a stop").isTrue();
    }

    @Test
    void leavesAFailureToQutesOwnStartupObserver() throws InterruptedException {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        Thread thread = TemplatesAtStart.prepareBeside(() -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
            throw new IllegalStateException("a template does not parse");
        });
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(uncaught.get()).isNull();
    }
}
