package io.testum.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.testum.common.FieldError;
import io.testum.common.Problem;

/**
 * What every page shares, around {@link io.testum.auth.AccessFilter} (which already refused the
 * calls the caller's role does not allow):
 * <ul>
 * <li>form posts must carry the CSRF token of the caller's session ({@link io.testum.auth.CsrfTokens}),
 * or, for the login form, the one of the browser's cookie (double submit); the session cookies are
 * SameSite=Strict as well. The JSON API is guarded by {@link io.testum.auth.CrossSiteGuard};</li>
 * <li>a visitor who is not signed in is sent to the login page;</li>
 * <li>refusals and failures, which arrive as problem details, are shown as a page with the same
 * status.</li>
 * </ul>
 */
public class PageFilter {

    private final UiContext ui;

    public PageFilter(UiContext ui) {
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(ErrorView error);
    }

    /** An error as the error page shows it. */
    @TemplateData
    public record ErrorView(int status, String title, String detail, List<String> problems) {
    }

    @ServerRequestFilter(priority = Priorities.USER)
    @WithFormRead
    @WebPage
    public Response checkForm(ResteasyReactiveContainerRequestContext request) {
        if (HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod())) {
            ui.csrfToken();
            return null;
        }
        Object posted = request.getServerRequestContext() instanceof ResteasyReactiveRequestContext context
                ? context.getFormParameter(UiContext.CSRF_FIELD, true, false)
                : null;
        boolean loginForm = "/login".equals(request.getUriInfo().getPath());
        if (!ui.csrfMatches(posted instanceof String s ? s : null, loginForm)) {
            return Response.status(400).type(Problem.MEDIA_TYPE).entity(new Problem("urn:testum:problem:csrf",
                    "Bad Request", 400, "The form did not carry this browser's CSRF token", null)).build();
        }
        return null;
    }

    /** Runs after the audit filter (response filters run from the highest priority down), so it records the real status. */
    @ServerResponseFilter(priority = Priorities.USER - 1000)
    @WebPage
    public void render(ContainerRequestContext request, ContainerResponseContext response) {
        if (ui.csrfIssued()) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, new NewCookie.Builder(UiContext.CSRF_COOKIE)
                    .value(ui.csrfToken()).path("/").httpOnly(true).secure(ui.secure())
                    .sameSite(NewCookie.SameSite.STRICT).build());
        }
        if (!(response.getEntity() instanceof Problem problem)) {
            return;
        }
        if (problem.status() == 401) {
            response.setStatus(303);
            response.getHeaders().remove(HttpHeaders.WWW_AUTHENTICATE);
            response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
            response.getHeaders().putSingle(HttpHeaders.LOCATION, URI.create("/login?next="
                    + URLEncoder.encode(returnTo(request), StandardCharsets.UTF_8)));
            response.setEntity(null);
            return;
        }
        String html = ui.page(Templates.error(view(problem))).render();
        response.setEntity(html, null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }

    private ErrorView view(Problem problem) {
        Msg msg = ui.msg();
        String title = switch (problem.status()) {
            case 400 -> "urn:testum:problem:csrf".equals(problem.type()) ? msg.error_csrf() : msg.error_invalid();
            case 403 -> msg.error_forbidden();
            case 404 -> msg.error_not_found();
            case 409 -> msg.error_conflict();
            case 429 -> msg.error_throttled();
            case 502 -> msg.error_unavailable();
            default -> problem.status() >= 500 ? msg.error_internal() : msg.error_invalid();
        };
        OpsMsg texts = ui.opsMsg();
        String language = ui.lang();
        List<String> problems = problem.errors() == null ? List.of()
                : problem.errors().stream().map(e -> describe(e, FieldMessages.translate(e.message(), texts, language))).toList();
        return new ErrorView(problem.status(), title, problem.detail(), problems);
    }

    /** {@code where: message}, with the message as given (translated or not). */
    static String describe(FieldError e, String message) {
        String where = e.file() != null
                ? e.file() + (e.line() == null ? "" : ":" + e.line() + (e.column() == null ? "" : ":" + e.column()))
                : e.field();
        return where == null ? message : where + ": " + message;
    }

    /** Where to come back after logging in: the page asked for, or for a form post the page it was sent from. */
    private static String returnTo(ContainerRequestContext request) {
        if (HttpMethod.GET.equals(request.getMethod())) {
            URI uri = request.getUriInfo().getRequestUri();
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        String referer = request.getHeaderString("Referer");
        if (referer != null) {
            try {
                URI from = new URI(referer);
                String here = request.getUriInfo().getRequestUri().getRawAuthority();
                if (from.getRawPath() != null && here != null && here.equals(from.getRawAuthority())) {
                    return from.getRawPath();
                }
            } catch (java.net.URISyntaxException e) {
                // Not a usable address: go to the dashboard.
            }
        }
        return "/";
    }
}
