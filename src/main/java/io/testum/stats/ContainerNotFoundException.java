package io.testum.stats;

import io.testum.common.ProblemException;

/** The platform's docker daemon knows no container by that name or ID: 404. */
class ContainerNotFoundException extends ProblemException {

    ContainerNotFoundException(String platform, String container) {
        super(404, "not-found", "Not found", "container '" + container + "' does not exist on platform '" + platform
                + "' (docker ps lists the containers)", null);
    }
}
