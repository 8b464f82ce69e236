package io.testum.common;

import io.vertx.core.Context;

/**
 * Work that blocks a thread for a network round trip or longer (an SSH session, a Git fetch) runs
 * on a worker thread: the deployment, run and reconcile pools, or the request worker pool. On an
 * event loop it would stall every request that loop serves, so it is refused there outright.
 */
public final class BlockingWork {

    private BlockingWork() {
    }

    /** Throws when called on a Vert.x event loop thread; {@code what} names the work in the message. */
    public static void refuseOnEventLoop(String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + " blocks, and was called on the event loop thread "
                    + Thread.currentThread().getName() + "; it must run on a worker thread");
        }
    }
}
