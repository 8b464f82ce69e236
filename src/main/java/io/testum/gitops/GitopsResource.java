package io.testum.gitops;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditContext;
import io.testum.common.Created;
import io.testum.common.NotFoundException;
import io.testum.common.Violations;
import io.testum.db.DatabaseConfig;

@Path("/api/gitops")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GitopsResource {

    private final SourceService sources;
    private final SourceRepository repository;
    private final Reconciler reconciler;
    private final GitopsScheduler scheduler;
    private final Previews previews;
    private final GitopsConfig config;
    private final AuditContext audit;
    private final Duration databaseWait;

    public GitopsResource(SourceService sources, SourceRepository repository, Reconciler reconciler, GitopsScheduler scheduler,
            Previews previews, GitopsConfig config, AuditContext audit, DatabaseConfig database) {
        this.sources = sources;
        this.repository = repository;
        this.reconciler = reconciler;
        this.scheduler = scheduler;
        this.previews = previews;
        this.config = config;
        this.audit = audit;
        this.databaseWait = database.waitTimeout();
    }

    @GET
    @Path("sources")
    public Uni<List<SourceService.View>> list() {
        return sources.list();
    }

    @POST
    @Path("sources")
    public Uni<RestResponse<SourceService.View>> create(SourceService.Request request) {
        return sources.create(Violations.body(request)).map(v -> Created.at("/api/gitops/sources/" + v.name(), v));
    }

    @GET
    @Path("sources/{name}")
    public Uni<SourceService.View> get(@PathParam("name") String name) {
        return sources.get(name);
    }

    /** Changes a source; {@code {"suspended": true}} suspends it, {@code false} resumes it. */
    @PUT
    @Path("sources/{name}")
    public Uni<SourceService.View> update(@PathParam("name") String name, SourceService.Request request) {
        return sources.update(name, Violations.body(request));
    }

    @DELETE
    @Path("sources/{name}")
    public Uni<Void> delete(@PathParam("name") String name) {
        return sources.delete(name);
    }

    @GET
    @Path("sources/{name}/status")
    public Uni<Map<String, Object>> status(@PathParam("name") String name) {
        return repository.status(name, config.runsShown()).map(NotFoundException.ifMissing("GitOps source", name));
    }

    /** Reconciles now; with {@code wait=true} answers the finished run, else 202 at once. */
    @POST
    @Path("sources/{name}/sync")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public RestResponse<Map<String, Object>> sync(@PathParam("name") String name, @QueryParam("wait") boolean wait) {
        sources.require(name).await().atMost(databaseWait);
        if (!wait) {
            scheduler.submit(name, "manual");
            return RestResponse.status(RestResponse.Status.ACCEPTED, Map.of("source", name, "accepted", true));
        }
        RunResult run = reconciler.reconcile(name, "manual", true, true);
        return RestResponse.ok(run.toMap());
    }

    @GET
    @Path("sources/{name}/diff")
    @Blocking
    public Map<String, Object> diff(@PathParam("name") String name, @QueryParam("ref") String ref) {
        return previews.diff(name, ref);
    }

    @POST
    @Path("import")
    @Blocking
    public Map<String, Object> importOnce(Previews.ImportRequest request) {
        return previews.importOnce(Violations.body(request), audit);
    }
}
