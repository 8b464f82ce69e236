package io.testum.runs;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.testum.auth.Caller;

/** {@code POST /api/platforms/{name}/run_command}: the earlier testum's one-host run, answering {@code {task_id}}. */
@Path("/api/platforms/{name}/run_command")
public class RunCommandResource {

    private final RunService runs;
    private final SecurityIdentity identity;

    public RunCommandResource(RunService runs, SecurityIdentity identity) {
        this.runs = runs;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RunViews.Task> runCommand(@PathParam("name") String name, RunRequest.Command command) {
        return runs.runCommand(name, command, Caller.username(identity));
    }
}
