package io.testum.keys;

/** A public key as the API receives it. */
public record KeyRequest(String name, String publicKey, String description) {
}
