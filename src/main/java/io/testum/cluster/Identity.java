package io.testum.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** This replica's name: the pod name on Kubernetes, else host name and process id. */
public final class Identity {

    private Identity() {
    }

    public static String current() {
        Optional<String> pod = Optional.ofNullable(System.getenv("POD_NAME")).filter(s -> !s.isBlank());
        if (pod.isPresent()) {
            return pod.get();
        }
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
        return host + "-" + ProcessHandle.current().pid();
    }
}
