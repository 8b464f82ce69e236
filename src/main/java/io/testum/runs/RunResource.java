package io.testum.runs;

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
import io.vertx.core.json.Json;

/** Ad-hoc runs: submit, list, read, cancel, group, and follow live. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunService runs;
    private final RunRepository repository;
    private final RunStreams streams;
    private final SecurityIdentity identity;
    private final StreamGuard guard;

    public RunResource(RunService runs, RunRepository repository, RunStreams streams, SecurityIdentity identity,
            StreamGuard guard) {
        this.runs = runs;
        this.repository = repository;
        this.streams = streams;
        this.identity = identity;
        this.guard = guard;
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
        return repository.list(new RunRepository.Filter(blankToNull(status), blankToNull(requestedBy), blankToNull(platform)),
                PageRequest.of(page, size));
    }

    @GET
    @Path("runs/{id}")
    public Uni<RunViews.Detail> get(@PathParam("id") String id) {
        return repository.get(id(id)).map(NotFoundException.ifMissing("run", id));
    }

    @POST
    @Path("runs/{id}/cancel")
    public Uni<RestResponse<RunViews.Detail>> cancel(@PathParam("id") String id) {
        return runs.cancel(id(id)).map(d -> RestResponse.ResponseBuilder.<RunViews.Detail>create(RestResponse.Status.ACCEPTED)
                .entity(d).build());
    }

    @GET
    @Path("runs/{id}/groups")
    public Uni<List<RunViews.Group>> groups(@PathParam("id") String id) {
        UUID run = id(id);
        return repository.status(run).map(NotFoundException.ifMissing("run", id)).chain(s -> repository.groups(run));
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
        if (repository.status(run).await().atMost(java.time.Duration.ofSeconds(30)) == null) {
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
