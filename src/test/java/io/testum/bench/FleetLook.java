package io.testum.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;
import io.testum.testing.Auth;

/**
 * The benchmarks' fleet-wide look at {@code GET /api/deployments}, taken every few milliseconds
 * while a deployment is timed. It runs in the same JVM as testum, so it must cost next to nothing:
 * REST Assured's JSON paths compile a Groovy script per extraction, which cost about a quarter of
 * the JVM's CPU samples while 100 hosts were deployed (JFR, 2026-12-02), CPU the OpenSSH
 * baseline it is compared with never pays. A plain HTTP client and Jackson instead.
 */
final class FleetLook {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    /** The answer to {@code GET /api/deployments?<query>}, as the admin. */
    JsonNode deployments(String query) {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/deployments?" + query);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + Auth.adminToken()).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
