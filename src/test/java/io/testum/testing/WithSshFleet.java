package io.testum.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.WithTestResource;

/**
 * The real SSH hosts a {@code @QuarkusTest} needs, in one line: {@code @WithSshFleet(hosts = 3)},
 * {@code @WithSshFleet(hosts = 2, passwords = true)} or
 * {@code @WithSshFleet(kinds = {Kind.DROPBEAR, Kind.BUSYBOX})}. {@link SshFleetResource} starts them
 * before the application and stops them after it, and injects the fleet into the test's field of
 * type {@link SshFleet}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WithTestResource(SshFleetResource.class)
public @interface WithSshFleet {

    /** How many OpenSSH hosts (ignored when {@link #kinds()} is given). */
    int hosts() default 1;

    /** Whether the hosts also take password logins. */
    boolean passwords() default false;

    /** One host of each kind, in that order, instead of {@link #hosts()} OpenSSH hosts. */
    SshFleet.Kind[] kinds() default {};
}
