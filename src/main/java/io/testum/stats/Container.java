package io.testum.stats;

import java.time.Instant;
import java.util.List;

/**
 * A container as {@code GET /api/platforms/{name}/containers} answers it, from one line of
 * {@code docker ps -a --format '{{json .}}'}.
 *
 * @param status  docker's words, e.g. {@code Up 2 hours} or {@code Exited (0) 3 days ago}
 * @param state   {@code created}, {@code running}, {@code paused}, {@code restarting}, {@code exited}, {@code dead}
 *                (null from docker before 20.10, which does not report it)
 * @param created null when docker reported it in a form testum does not know
 * @param ports   published ports as docker writes them, e.g. {@code 0.0.0.0:8080->80/tcp}
 */
public record Container(String id, String name, String image, String status, String state, Instant created,
        List<String> ports) {
}
