package io.testum.gitops;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The default GitOps source (named {@code default}) and how sources are fetched. */
@ConfigMapping(prefix = "testum.gitops")
public interface GitopsConfig {

    /** The default source: {@code file://}, {@code git://}, {@code http(s)://} or {@code ssh://}. Unset: none. */
    Optional<String> url();

    /** Branch, tag or commit. */
    @WithDefault("main")
    String branch();

    /** File or folder in the repository; unset: the first that exists of the usual names. */
    Optional<String> path();

    /** How often the default source is polled. */
    @WithDefault("1m")
    Duration interval();

    /** Secret of the default source's push webhooks. */
    Optional<String> webhookSecret();

    /** HTTPS user of the default source. */
    Optional<String> username();

    /** HTTPS token or password of the default source. */
    Optional<String> token();

    /** Name of the SSH credential the default source fetches {@code ssh://} URLs with. */
    Optional<String> credential();

    /**
     * The SSH host key of the default source's {@code ssh://} server, as {@code ssh-keygen -l} prints
     * it ({@code SHA256:...}). Unset: the first key seen is pinned, or, under
     * {@code testum.ssh.host-key-policy=strict}, the fetch is refused.
     */
    Optional<String> hostKey();

    /** Time allowed for one fetch. */
    @WithDefault("60s")
    Duration fetchTimeout();

    /**
     * The most bytes the YAML files of one document (a file, or a folder's files) may hold together;
     * each file may hold at most 16 MiB.
     */
    @WithDefault("32M")
    MemorySize maxDocumentBytes();

    /** The most YAML files a folder document may have. */
    @WithDefault("1000")
    int maxDocumentFiles();

    /** The most objects (keys, credentials, platforms, access grants) one document may declare. */
    @WithDefault("100000")
    int maxDocumentObjects();

    /** How often the leader looks for sources whose interval has passed. */
    @WithDefault("5s")
    Duration tick();

    /** Reconcile runs shown in a source's status. */
    @WithDefault("10")
    int runsShown();
}
