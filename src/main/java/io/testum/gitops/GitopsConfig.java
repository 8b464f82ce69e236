package io.testum.gitops;

import java.time.Duration;
import java.util.Optional;

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

    /** Time allowed for one fetch. */
    @WithDefault("60s")
    Duration fetchTimeout();

    /** Reconcile runs shown in a source's status. */
    @WithDefault("10")
    int runsShown();
}
