package io.testum.runs;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.testum.auth.Caller;
import io.testum.auth.StreamGuard;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Violations;
import io.testum.db.DatabaseConfig;
import io.vertx.core.json.Json;

/** Ad-hoc runs: submit, list, read, cancel, group, and follow live. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** Host results per page of {@code GET /api/runs/{id}} unless {@code size} says otherwise. */
    public static final int RESULTS_PAGE = 100;
    /** The largest {@code size} of {@code GET /api/runs/{id}}. */
    public static final int RESULTS_MAX = 1000;

    private final RunService runs;
    private final RunRepository repository;
    private final RunStreams streams;
    private final RunJson jsonWriter;
    private final SecurityIdentity identity;
    private final StreamGuard guard;
    private final Duration databaseWait;

    public RunResource(RunService runs, RunRepository repository, RunStreams streams, RunJson jsonWriter,
            SecurityIdentity identity, StreamGuard guard, DatabaseConfig database) {
        this.runs = runs;
        this.repository = repository;
        this.streams = streams;
        this.jsonWriter = jsonWriter;
        this.identity = identity;
        this.guard = guard;
        this.databaseWait = database.waitTimeout();
    }

    @POST
    @Path("runs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<RunViews.Submitted>> submit(RunRequest request) {
        return runs.submit(request, Caller.username(identity)).map(s -> RestResponse.ResponseBuilder.<RunViews.Submitted>create(
                RestResponse.Status.ACCEPTED).location(java.net.URI.create("/api/runs/" + s.id())).entity(s).build());
    }

    @GET
    @Path("runs")
    public Uni<Page<RunViews.Summary>> list(@QueryParam("status") String status, @QueryParam("requested_by") String requestedBy,
            @QueryParam("platform") String platform, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        if (status != null && !status.isBlank()) {
            try {
                RunStatus.of(status);
            } catch (IllegalArgumentException e) {
                throw new io.testum.common.ValidationException("status",
                        "must be one of queued, running, succeeded, failed, canceled, timed_out");
            }
        }
        return repository.list(new RunViews.Filter(blankToNull(status), blankToNull(requestedBy), blankToNull(platform)),
                PageRequest.of(page, size));
    }

    /**
     * The run and one page of its hosts' results ({@code page} from 0, {@code size} 1 to
     * {@value #RESULTS_MAX}, default {@value #RESULTS_PAGE}), in target order, streamed from the
     * database a few hosts at a time.
     */
    @GET
    @Path("runs/{id}")
    @Blocking
    public Response get(@PathParam("id") String id, @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return detail(id(id), id, resultsPage(page, size), Response.Status.OK);
    }

    /** Stops the run (202); answers it as {@code GET /api/runs/{id}} does, with the first page of results. */
    @POST
    @Path("runs/{id}/cancel")
    @Blocking
    public Response cancel(@PathParam("id") String id) {
        UUID run = id(id);
        runs.cancel(run).await().atMost(databaseWait);
        return detail(run, id, resultsPage(null, null), Response.Status.ACCEPTED);
    }

    private Response detail(UUID run, String id, PageRequest request, Response.Status status) {
        RunViews.Detail head = repository.head(run).await().atMost(databaseWait);
        if (head == null) {
            throw new NotFoundException("run", id);
        }
        int from = (int) Math.min(Integer.MAX_VALUE, (long) request.page() * request.size());
        int to = (int) Math.min(head.targets().size(), (long) from + request.size());
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(jsonWriter.detail(RunViews.DetailHead.of(head, request.page(), request.size()),
                        repository.stream(run, from, to)))
                .build();
    }

    /** Hosts grouped by identical output, streamed: grouped in the database by a hash of the outputs. */
    @GET
    @Path("runs/{id}/groups")
    @Blocking
    public Response groups(@PathParam("id") String id) {
        UUID run = id(id);
        if (repository.status(run).await().atMost(databaseWait) == null) {
            throw new NotFoundException("run", id);
        }
        return Response.ok(jsonWriter.array(repository.groups(run, Integer.MAX_VALUE)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    static PageRequest resultsPage(Integer page, Integer size) {
        Violations v = new Violations();
        v.check(size == null || size >= 1 && size <= RESULTS_MAX, "size", "must be between 1 and " + RESULTS_MAX);
        v.throwIfAny();
        return PageRequest.of(page, size == null ? RESULTS_PAGE : size);
    }

    /**
     * Server-Sent Events: what happened, then what happens, until {@code run_done}. Each event's id
     * is its sequence number, so a client reconnecting with {@code Last-Event-ID} resumes after it.
     * The stream ends early when the caller loses access (logout, disabled user).
     */
    @GET
    @Path("runs/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        UUID run = id(id);
        if (repository.status(run).await().atMost(databaseWait) == null) {
            throw new NotFoundException("run", id);
        }
        long after = 0;
        if (lastEventId != null && lastEventId.matches("\\d{1,18}")) {
            after = Long.parseLong(lastEventId);
        }
        return guard.whileAllowed(identity, "GET /api/runs/{id}/events", streams.events(run, after))
                .onFailure(StreamGuard.AccessEndedException.class).recoverWithCompletion()
                .map(e -> sse.newEventBuilder().id(Long.toString(e.seq())).name(e.type())
                        .data(Json.encode(e.message())).build());
    }

    private static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("run", id);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
