package io.testum.web;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditContext;
import io.testum.gitops.GitUrls;
import io.testum.gitops.Previews;

/**
 * A one-shot import from any repository (admin): a dry run first that shows the plan, then the
 * same import applied. Imported objects become API-made: created or updated, never deleted.
 * The token is never shown back; the apply form asks for it again.
 */
@Path("/import")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class ImportPage {

    private final Previews previews;
    private final AuditContext audit;
    private final UiContext ui;

    public ImportPage(Previews previews, AuditContext audit, UiContext ui) {
        this.previews = previews;
        this.audit = audit;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(ImportView imported);
    }

    /**
     * The form and, after a post, its answer. {@code previewed}: the revision the dry run showed,
     * so that an apply of a moved branch says it applied another one.
     */
    @TemplateData
    public record ImportView(String gitUrl, String branch, String configPath, String username, boolean hadToken,
            Boolean dryRun, String revision, String previewed, List<GitopsPage.KindPlan> plan, boolean applied) {

        /** Whether the applied revision differs from the one the dry run showed. */
        public boolean moved() {
            return Boolean.FALSE.equals(dryRun) && previewed != null && !previewed.isBlank() && !previewed.equals(revision);
        }
    }

    @GET
    public TemplateInstance form() {
        return ui.page(Templates.form(new ImportView("", "main", "", "", false, null, null, null, List.of(), false)));
    }

    /** A dry run unless {@code apply} is set; a bad repository or document is shown as the error page with its problems. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<TemplateInstance> run(@RestForm("git_url") String gitUrl, @RestForm String branch,
            @RestForm("config_path") String configPath, @RestForm String username, @RestForm String token,
            @RestForm boolean apply, @RestForm String previewed) {
        Previews.ImportRequest request = new Previews.ImportRequest(Forms.blankToNull(gitUrl), Forms.blankToNull(branch),
                Forms.blankToNull(configPath), Forms.blankToNull(username), token == null || token.isEmpty() ? null : token, !apply);
        return VertxContextSupport.executeBlocking(() -> previews.importOnce(request, audit))
                .map(answer -> ui.page(Templates.form(view(request, answer, previewed))));
    }

    static ImportView view(Previews.ImportRequest request, Map<String, Object> answer, String previewed) {
        Map<String, Object> status = Map.of("plan", answer.getOrDefault("plan", Map.of()));
        return new ImportView(GitUrls.mask(request.gitUrl()), request.branch() == null ? "main" : request.branch(),
                request.configPath() == null ? "" : request.configPath(), request.username() == null ? "" : request.username(),
                request.token() != null, Boolean.TRUE.equals(answer.get("dry_run")), (String) answer.get("revision"),
                previewed, GitopsPage.plan(status.get("plan")), Boolean.TRUE.equals(answer.get("applied")));
    }
}
