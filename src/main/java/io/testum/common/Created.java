package io.testum.common;

import java.net.URI;

import org.jboss.resteasy.reactive.RestResponse;

/** The answer to a create call: 201, the new object's location, and the object. */
public final class Created {

    private Created() {
    }

    public static <T> RestResponse<T> at(String location, T entity) {
        return RestResponse.ResponseBuilder.<T>created(URI.create(location)).entity(entity).build();
    }
}
