package io.testum.alerts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.testum.common.ConflictException;
import io.testum.common.Names;
import io.testum.common.NotFoundException;
import io.testum.common.Page;
import io.testum.common.PageRequest;
import io.testum.common.Source;
import io.testum.common.Violations;
import io.testum.inventory.Labels;
import io.testum.secrets.SecretCipher;

/**
 * Alerts through the API: checked (400 naming each bad field), their URL and signing secret sealed
 * under the master key, each bound to its alert's name so a sealed value copied to another row
 * does not open.
 */
@ApplicationScoped
public class AlertService {

    /** The shortest signing secret a webhook alert may have. */
    static final int MIN_SECRET_LENGTH = 16;
    static final int MAX_SECRET_LENGTH = 512;

    private final AlertRepository alerts;
    private final SecretCipher cipher;
    private final AlertsConfig config;

    AlertService(AlertRepository alerts, SecretCipher cipher, AlertsConfig config) {
        this.alerts = alerts;
        this.cipher = cipher;
        this.config = config;
    }

    static String urlPurpose(String name) {
        return "alert-url:" + name;
    }

    static String secretPurpose(String name) {
        return "alert-secret:" + name;
    }

    public Uni<List<AlertView>> list() {
        return alerts.all().map(all -> all.stream().map(AlertRepository.Stored::view).toList());
    }

    public Uni<AlertView> get(String name) {
        return require(name).map(AlertRepository.Stored::view);
    }

    public Uni<AlertView> create(AlertRequest request) {
        Violations v = new Violations();
        Names.checkObjectName(request.name(), "name", v);
        v.required(request.url(), "url");
        AlertView view = checked(request.name(), request, v, false, false);
        byte[] url = cipher.encrypt(request.url().strip(), urlPurpose(request.name()));
        byte[] secret = request.secret() == null ? null : cipher.encrypt(request.secret(), secretPurpose(request.name()));
        return alerts.save(view, url, secret, false).map(created -> {
            if (!created) {
                throw new ConflictException("alert '" + request.name() + "' already exists");
            }
            return view;
        });
    }

    public Uni<AlertView> update(String name, AlertRequest request) {
        return require(name).chain(existing -> Source.API.equals(existing.view().source()) ? replace(name, request, existing)
                : fillIn(name, request, existing));
    }

    private Uni<AlertView> replace(String name, AlertRequest request, AlertRepository.Stored existing) {
        Violations v = new Violations();
        v.check(request.name() == null || request.name().equals(name), "name", "cannot be changed (it is '" + name + "')");
        boolean sameType = request.type() == null || request.type().equals(existing.view().type());
        AlertView checked = checked(name, request, v, request.url() == null, existing.view().secretSet() && sameType);
        byte[] url = request.url() == null ? existing.urlSealed() : cipher.encrypt(request.url().strip(), urlPurpose(name));
        String shown = request.url() == null ? existing.view().url() : checked.url();
        byte[] secret = request.secret() != null ? cipher.encrypt(request.secret(), secretPurpose(name))
                : "slack".equals(checked.type()) ? null : existing.secretSealed();
        AlertView view = AlertView.of(name, checked.type(), shown, secret != null, checked.events(), checked.selector(),
                checked.enabled(), checked.source());
        return alerts.save(view, url, secret, true).map(x -> view);
    }

    /**
     * A Git-managed alert: the API sets only what the document leaves to it, the signing secret of a
     * webhook and the URL when the document gives none. Anything else is the document's (409).
     */
    private Uni<AlertView> fillIn(String name, AlertRequest r, AlertRepository.Stored existing) {
        AlertView was = existing.view();
        boolean secretsOnly = (r.name() == null || r.name().equals(name)) && r.type() == null && r.events() == null
                && r.selector() == null && r.enabled() == null && (r.url() != null || r.secret() != null);
        if (!secretsOnly || (r.url() != null && existing.urlInDocument())) {
            throw new ConflictException("alert '" + name + "' is managed by GitOps source '" + was.source() + "'"
                    + (existing.revision() == null ? "" : " at revision " + existing.revision()) + "; change it in Git, not "
                    + "through the API (the API sets only its signing secret" + (existing.urlInDocument() ? "" : " and its url")
                    + ")");
        }
        Violations v = new Violations();
        if (r.url() != null) {
            String problem = AlertTargets.problem(r.url(), config.allowPrivateTargets());
            if (problem != null) {
                v.add("url", problem);
            }
        }
        if (r.secret() != null) {
            if (AlertType.SLACK.wire().equals(was.type())) {
                v.add("secret", "a slack alert is not signed (its URL is its secret); leave secret out");
            } else {
                v.check(r.secret().length() >= MIN_SECRET_LENGTH && r.secret().length() <= MAX_SECRET_LENGTH, "secret",
                        "must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters; the receiver checks "
                                + "X-Testum-Signature with it");
            }
        }
        v.throwIfAny();
        byte[] url = r.url() == null ? existing.urlSealed() : cipher.encrypt(r.url().strip(), urlPurpose(name));
        String shown = r.url() == null ? was.url() : AlertTargets.shown(r.url());
        byte[] secret = r.secret() == null ? existing.secretSealed() : cipher.encrypt(r.secret(), secretPurpose(name));
        AlertView view = AlertView.of(name, was.type(), shown, secret != null, was.events(), was.selector(), was.enabled(),
                was.source());
        return alerts.save(view, url, secret, true).map(saved -> {
            if (!saved) {
                throw new ConflictException("alert '" + name + "' changed owner while it was being updated; try again");
            }
            return view;
        });
    }

    public Uni<Void> delete(String name) {
        return require(name).chain(existing -> {
            Source.requireApiManaged("alert", name, existing.view().source(), null);
            return alerts.delete(name).replaceWithVoid();
        });
    }

    /** The alert's delivery log, newest first. */
    public Uni<Page<DeliveryView>> deliveries(String name, PageRequest page) {
        return require(name).chain(a -> alerts.deliveries(name, page));
    }

    private Uni<AlertRepository.Stored> require(String name) {
        return alerts.find(name).map(NotFoundException.ifMissing("alert", name));
    }

    /**
     * The request checked and made a view. {@code keepUrl}: the stored URL stays (an update without
     * one); {@code hasSecret}: a signing secret is stored and stays unless the request sends one.
     */
    private AlertView checked(String name, AlertRequest r, Violations v, boolean keepUrl, boolean hasSecret) {
        AlertType type = r.type() == null ? null : AlertType.of(r.type());
        v.check(type != null, "type", r.type() == null ? "is required: webhook or slack" : "must be webhook or slack");
        String shown = null;
        if (!keepUrl) {
            String problem = AlertTargets.problem(r.url(), config.allowPrivateTargets());
            if (problem != null) {
                if (r.url() != null) {
                    v.add("url", problem);
                }
            } else {
                shown = AlertTargets.shown(r.url());
            }
        }
        if (type == AlertType.WEBHOOK) {
            if (r.secret() != null) {
                v.check(r.secret().length() >= MIN_SECRET_LENGTH && r.secret().length() <= MAX_SECRET_LENGTH, "secret",
                        "must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters; the receiver checks "
                                + "X-Testum-Signature with it");
            } else {
                v.check(hasSecret, "secret", "is required for a webhook alert: the HMAC-SHA256 key of X-Testum-Signature");
            }
        } else if (type == AlertType.SLACK) {
            v.check(r.secret() == null, "secret", "a slack alert is not signed (its URL is its secret); leave secret out");
        }
        List<String> events = new ArrayList<>();
        if (r.events() == null || r.events().isEmpty()) {
            v.add("events", "is required: one or more of " + String.join(", ", AlertEvent.words()));
        } else {
            for (int i = 0; i < r.events().size(); i++) {
                String e = r.events().get(i);
                if (AlertEvent.of(e) == null) {
                    v.add("events[" + i + "]", "'" + e + "' is not an event; use one of " + String.join(", ", AlertEvent.words()));
                } else if (!events.contains(e)) {
                    events.add(e);
                }
            }
        }
        Map<String, String> selector = r.selector() == null ? Map.of() : new LinkedHashMap<>(r.selector());
        Labels.check(selector, "selector", v);
        v.throwIfAny();
        return AlertView.of(name, type.wire(), shown, r.secret() != null || (type == AlertType.WEBHOOK && hasSecret),
                List.copyOf(new LinkedHashSet<>(events)), selector, r.enabled() == null || r.enabled(), Source.API);
    }
}
