package io.testum.web;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.keys.CredentialRequests;
import io.testum.keys.CredentialService;
import io.testum.keys.CredentialView;

/** Credentials (admin): generate or import, download the public key; secrets never come back. */
@Path("/credentials")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class CredentialsPage {

    static final int PAGE_SIZE = 100;

    private final CredentialService credentials;
    private final UiContext ui;

    public CredentialsPage(CredentialService credentials, UiContext ui) {
        this.credentials = credentials;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance credentials(CredentialsView credentials);
    }

    @TemplateData
    public record CredentialsView(Page<CredentialView> page, String q, String notice, String prev, String next) {
    }

    @GET
    public Uni<TemplateInstance> list(@RestQuery String q, @RestQuery Integer page, @RestQuery String notice) {
        return credentials.list(Forms.blankToNull(q), PageRequest.of(page, PAGE_SIZE))
                .map(result -> ui.page(Templates.credentials(new CredentialsView(result, q == null ? "" : q,
                        ui.notice(notice), Paging.previous(result), Paging.next(result)))));
    }

    @POST
    @Path("generate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> generate(@RestForm String name, @RestForm String type, @RestForm Integer bits,
            @RestForm String description) {
        String keyType = Forms.blankToNull(type);
        return credentials.generate(new CredentialRequests.Generate(Forms.blankToNull(name), keyType,
                "rsa".equals(keyType) ? bits : null, Forms.blankToNull(description), null), ui.username()).map(this::created);
    }

    /** A private key (with its passphrase) or a password; the form sends one of them. */
    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> importSecret(@RestForm String name, @RestForm("private_key") String privateKey,
            @RestForm String passphrase, @RestForm String password, @RestForm String description) {
        return credentials.importSecret(new CredentialRequests.Import(Forms.blankToNull(name), Forms.blankToNull(privateKey),
                privateKey == null || privateKey.isBlank() || passphrase == null || passphrase.isEmpty() ? null : passphrase,
                password == null || password.isEmpty() ? null : password, Forms.blankToNull(description), null), ui.username())
                .map(this::created);
    }

    private Response created(CredentialView view) {
        return Response.seeOther(URI.create("/credentials?notice=created#credential-" + view.name())).build();
    }

    /** The OpenSSH public line, as a file to save. */
    @GET
    @Path("{name}/public-key")
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<Response> publicKey(@RestPath String name) {
        return credentials.publicKey(name).map(line -> Response.ok(line + "\n")
                .header("Content-Disposition", "attachment; filename=\"" + name + ".pub\"").build());
    }

    /** Where the credential may be used: platform names and labels, comma-separated; both empty: anywhere. */
    @POST
    @Path("{name}/binding")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> bind(@RestPath String name, @RestForm String platforms, @RestForm String selector) {
        CredentialRequests.Binding binding = new CredentialRequests.Binding(Forms.list(platforms),
                Forms.labels(selector, "binding.selector"));
        return credentials.bind(name, binding, ui.username()).map(view -> Response.seeOther(URI.create("/credentials?notice=saved#credential-" + view.name())).build());
    }

    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name) {
        return credentials.delete(name).map(x -> Response.seeOther(URI.create("/credentials?notice=deleted")).build());
    }
}
