package io.testum.common;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where failures become {@code application/problem+json} answers: domain
 * exceptions, malformed JSON, JAX-RS errors, and anything unexpected (which is logged with an id
 * and answered without internals).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final String UNIQUE_VIOLATION = "23505";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return toResponse(e);
    }

    /** The answer for a domain failure, also for filters that end a request themselves. */
    public static Response toResponse(ProblemException e) {
        Response.ResponseBuilder builder = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem());
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return invalid(path(e), "is not a known field" + known(e));
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        String value = e instanceof InvalidFormatException f && f.getValue() != null ? " (got '" + f.getValue() + "')" : "";
        return invalid(path(e), "must be " + expected + value);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return invalid(path(m), m.getOriginalMessage());
        }
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return respond(new Problem("urn:testum:problem:malformed-json", "Malformed JSON", 400,
                "The request body is not valid JSON" + where + ": " + e.getOriginalMessage(), null));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json instanceof MismatchedInputException mismatch ? wrongType(mismatch) : malformed(json);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        Response.ResponseBuilder builder = Response.fromResponse(original).entity(new Problem("about:blank", title, status,
                e.getMessage(), null)).type(Problem.MEDIA_TYPE);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (isUniqueViolation(e)) {
            return respond(new ConflictException("An object with that name already exists (it was created at the same moment)")
                    .toProblem());
        }
        String id = UUID.randomUUID().toString();
        // The message can quote whatever the failing code touched (a file, a URL with a token): the log gets the
        // exception's type and stack frames only.
        LOG.errorf(Redacted.withoutMessages(e), "Unexpected error %s", id);
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "testum failed unexpectedly; the server log has the details under error id " + id, null));
    }

    private static Response invalid(String field, String message) {
        return respond(new ValidationException(List.of(FieldError.field(field, message))).toProblem());
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    private static String known(UnrecognizedPropertyException e) {
        if (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()) {
            return "";
        }
        return "; known fields: " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                .collect(Collectors.joining(", "));
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time such as 2026-12-31T18:00:00Z";
        }
        return "a " + type.getSimpleName();
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
