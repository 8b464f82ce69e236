package io.testum.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** Blocking work is refused on an event loop and allowed on any other thread, Vert.x worker threads included. */
class BlockingWorkTest {

    @Test
    void refusesOnAnEventLoopAndAllowsOnWorkerAndPlainThreads() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
            vertx.runOnContext(v -> onLoop.complete(attempt()));
            Throwable refused = onLoop.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, refused);
            assertTrue(refused.getMessage().contains("a Git fetch blocks, and was called on the event loop thread"),
                    refused.getMessage());

            CompletableFuture<Throwable> onWorker = new CompletableFuture<>();
            vertx.executeBlocking(() -> onWorker.complete(attempt()));
            assertTrue(onWorker.get(10, TimeUnit.SECONDS) == null);
            assertDoesNotThrow(() -> BlockingWork.refuseOnEventLoop("a Git fetch"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Throwable attempt() {
        try {
            BlockingWork.refuseOnEventLoop("a Git fetch");
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
