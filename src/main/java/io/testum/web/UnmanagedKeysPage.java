package io.testum.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.deploy.UnmanagedKeyService;

/**
 * Keys outside Git: every key found outside the managed blocks across the fleet, grouped by
 * fingerprint, the one on the most (platform, account) pairs first; each group opens to where it
 * was seen. Search by fingerprint, or by pasting a public key line or {@code .pub} file: the paste is
 * a form post (so it never lands in a URL, a browser history or an access log) whose fingerprint
 * testum computes and then redirects to; a paste that is not a public key is refused without being
 * shown again.
 */
@Path("/unmanaged-keys")
@WebPage
@Produces(MediaType.TEXT_HTML)
public class UnmanagedKeysPage {

    static final int PAGE_SIZE = 50;

    private final UnmanagedKeyService unmanaged;
    private final UiContext ui;

    public UnmanagedKeysPage(UnmanagedKeyService unmanaged, UiContext ui) {
        this.unmanaged = unmanaged;
        this.ui = ui;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(UnmanagedKeysView keys);
    }

    /**
     * The page. {@code fingerprint}, {@code weak} and {@code unknown}: the filters; {@code query}: them as
     * URL parameters, for paging, and {@code apiQuery} in the API's words, for the export links;
     * {@code error}: why the last search was refused.
     */
    @TemplateData
    public record UnmanagedKeysView(Page<UnmanagedKeyService.FingerprintGroup> page, String fingerprint, boolean weak,
            boolean unknown, String query, String apiQuery, String error, String prev, String next) {

        /** How many sightings a group lists at most. */
        public long listed() {
            return UnmanagedKeyService.SIGHTINGS_PER_GROUP;
        }
    }

    @GET
    public Uni<Response> list(@RestQuery String fingerprint, @RestQuery String weak, @RestQuery String unknown,
            @RestQuery Integer page) {
        // A '+' of a fingerprint that reached the URL unencoded arrives as a space.
        String print = Forms.blankToNull(fingerprint) == null ? null : fingerprint.strip().replace(' ', '+');
        if (print != null && !KeyPaste.isFingerprint(print)) {
            return show(null, "true".equals(weak), "true".equals(unknown), 0, ui.keyMsg().unmanaged_bad_fingerprint(), 400);
        }
        return show(print, "true".equals(weak), "true".equals(unknown), page == null ? 0 : page, null, 200);
    }

    /** A fingerprint or a pasted public key: on to the list of that fingerprint, or the page with the reason it was refused. */
    @POST
    @Path("search")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> search(@RestForm String key, @RestForm String weak, @RestForm String unknown) {
        KeyPaste.Read read = KeyPaste.read(key);
        boolean isWeak = "true".equals(weak);
        boolean isUnknown = "true".equals(unknown);
        if (read.refusal() != null) {
            KeysMsg msg = ui.keyMsg();
            String error = switch (read.refusal()) {
                case EMPTY -> msg.unmanaged_paste_empty();
                case PRIVATE_KEY -> msg.unmanaged_paste_private();
                case SEVERAL_KEYS -> msg.unmanaged_paste_several();
                case NOT_A_KEY -> msg.unmanaged_paste_not_a_key();
            };
            return show(null, isWeak, isUnknown, 0, error, 400);
        }
        String found = query(read.fingerprint(), isWeak, isUnknown, "unknown=true");
        return Uni.createFrom().item(Response.seeOther(URI.create("/unmanaged-keys?" + found)).build());
    }

    private Uni<Response> show(String fingerprint, boolean weak, boolean unknown, int page, String error, int status) {
        UnmanagedKeyService.Query query = new UnmanagedKeyService.Query(fingerprint, null, List.of(), unknown ? false : null,
                weak ? true : null);
        return unmanaged.groups(query, PageRequest.of(page, PAGE_SIZE)).map(result -> Response.status(status)
                .entity(ui.page(Templates.keys(new UnmanagedKeysView(result, fingerprint == null ? "" : fingerprint, weak,
                        unknown, query(fingerprint, weak, unknown, "unknown=true"), query(fingerprint, weak, unknown, "known=false"),
                        error, Paging.previous(result), Paging.next(result)))))
                .build());
    }

    /** The filters as URL parameters, {@code unknownParam} for the unknown filter. */
    static String query(String fingerprint, boolean weak, boolean unknown, String unknownParam) {
        List<String> params = new ArrayList<>();
        if (fingerprint != null) {
            params.add("fingerprint=" + URLEncoder.encode(fingerprint, StandardCharsets.UTF_8));
        }
        if (weak) {
            params.add("weak=true");
        }
        if (unknown) {
            params.add(unknownParam);
        }
        return String.join("&", params);
    }
}
