package io.testum.web;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.testum.common.PageRequest;
import io.testum.deploy.DeploymentRecords;
import io.testum.deploy.DeploymentStatus;
import io.testum.inventory.Reachability;
import io.testum.runs.RunService;
import io.testum.runs.RunStatus;
import io.testum.runs.RunViews;
import io.testum.stats.FleetStats;
import io.testum.stats.FleetStatsService;

/** The first page: is the fleet in the state Git says, and if not, where. */
@Path("/")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class DashboardPage {

    static final int RECENT_RUNS = 10;
    static final int FAILING_SHOWN = 50;

    private final FleetStatsService fleet;
    private final RunService runs;
    private final DeploymentRecords deployments;
    private final UiContext ui;

    public DashboardPage(FleetStatsService fleet, RunService runs, DeploymentRecords deployments, UiContext ui) {
        this.fleet = fleet;
        this.runs = runs;
        this.deployments = deployments;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(DashboardView dashboard);
    }

    @TemplateData
    public record DashboardView(long platforms, List<Count<Reachability>> reachability, List<Count<DeploymentStatus>> deployments,
            List<Count<RunStatus>> runs,
            List<FleetStats.SourceState> sources, List<RunViews.Summary> recentRuns, List<Failing> failing,
            Instant collectedAt) {
    }

    /** A (platform, account) pair that is not in sync. */
    @TemplateData
    public record Failing(String platform, String user, DeploymentStatus status, String error, Instant lastAttemptAt) {
    }

    @GET
    public Uni<TemplateInstance> dashboard() {
        return Uni.combine().all().unis(fleet.stats(),
                runs.list(new RunViews.Filter(null, null, null), new PageRequest(0, RECENT_RUNS)),
                deployments.failing(FAILING_SHOWN)).asTuple()
                .map(t -> {
                    FleetStats stats = t.getItem1();
                    List<Failing> failing = t.getItem3().stream().map(r -> new Failing(r.platform(), r.account(), r.status(),
                            r.lastError(), r.lastAttemptAt())).toList();
                    return ui.page(Templates.dashboard(new DashboardView(stats.platforms().total(),
                            Count.of(stats.platforms().byReachability(), Reachability::of), Count.of(stats.deployments(), DeploymentStatus::of),
                            Count.of(stats.runsLast24h(), RunStatus::of), stats.sources(), t.getItem2().items(), failing,
                            stats.collectedAt())));
                });
    }
}
