package io.testum.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the pages for day-to-day operations: GitOps sources' forms and the one-shot
 * import, forgetting a host key, schedules, alerts, containers, deployment badges, relative times
 * and the translated field errors. English here, Russian in {@code messages/opsmsg_ru.properties};
 * templates read them as {@code opsmsg:key}, Java code through {@link UiContext#opsMsg()}. A bundle
 * of its own, as {@link KeysMsg} explains.
 */
@MessageBundle(value = "opsmsg", locale = "en")
public interface OpsMsg {

    @Message("New source")
    String source_new();

    @Message("Edit or delete this source")
    String source_edit();

    @Message("file://, git://, http(s):// or ssh:// (also user@host:path). Put a password or token in the token field, not in the URL.")
    String source_url_hint();

    @Message("How often to fetch: 30s, 5m, 1h; at least 10s.")
    String source_interval_hint();

    @Message("Token or password")
    String source_token();

    @Message("Webhook secret")
    String source_webhook_secret();

    @Message("A value is stored and never shown. Leave empty to keep it; type a new one to replace it.")
    String secret_stored();

    @Message("None stored. Write-only: once saved, it is never shown.")
    String secret_none();

    @Message("stored (never shown)")
    String secret_stored_short();

    @Message("Remove the stored token")
    String source_clear_token();

    @Message("Remove the stored webhook secret")
    String source_clear_webhook_secret();

    @Message("The SSH credential for ssh:// URLs.")
    String source_credential_hint();

    @Message("The Git server's SSH host key (ssh:// only); empty: pinned at first contact.")
    String source_host_key_hint();

    @Message("Pinned host key")
    String pinned_host_key();

    @Message("Delete the source {name}? Its objects stay, made editable through the API.")
    String source_delete_confirm(String name);

    @Message("Deleting a source keeps its platforms, keys and grants: they are handed over to the API, so nothing disappears from the hosts.")
    String source_delete_hint();

    @Message("One-shot import")
    String import_title();

    @Message("Fetches a repository once and imports its document as objects made through the API: created or updated, never deleted. A dry run shows the plan first; nothing is applied until you apply it.")
    String import_lead();

    @Message("Repository URL")
    String import_git_url();

    @Message("file://, git:// or http(s)://")
    String import_git_url_hint();

    @Message("File or folder in the repository")
    String import_config_path();

    @Message("Only if the repository needs one. Never shown back.")
    String import_token_hint();

    @Message("Type the token again to apply: it is not kept between the dry run and the apply.")
    String import_token_again();

    @Message("Dry run")
    String import_preview();

    @Message("Dry run again")
    String import_preview_again();

    @Message("Apply this import")
    String import_apply();

    @Message("Dry run of revision {rev}: nothing was applied")
    String import_dry_run(String rev);

    @Message("Revision {rev} imported")
    String import_applied(String rev);

    @Message("Revision {rev}: nothing to change")
    String import_nothing(String rev);

    @Message("The branch moved since the dry run: {previewed} was shown, {applied} was applied.")
    String import_moved(String previewed, String applied);

    @Message("Host key forgotten: the next connection pins the key it finds, or the declared one.")
    String notice_host_key_forgotten();

    @Message("Keys")
    String col_deployment();

    @Message("no accounts")
    String deployment_none();

    @Message("Host key")
    String host_key_title();

    @Message("Host key of {platform}")
    String host_key_page_title(String platform);

    @Message("Pinned now")
    String host_key_pinned();

    @Message("({origin}{#if by}, {by}{/if})")
    String host_key_pinned_by(String origin, String by);

    @Message("No key is pinned for this address.")
    String host_key_none();

    @Message("Presented by the host")
    String host_key_presented();

    @Message("No connection was refused for another key.")
    String host_key_presented_none();

    @Message("A different host key means the host was rebuilt, or someone is in the middle. Forget the pinned key only when you know which: compare the presented fingerprint with the one the host prints (ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub).")
    String host_key_warning();

    @Message("I checked the host's key: forget the key pinned for {address} (for every platform at that address)")
    String host_key_confirm(String address);

    @Message("Forget the pinned host key")
    String host_key_forget();

    @Message("Containers")
    String containers_title();

    @Message("Containers on {platform}")
    String containers_of(String platform);

    @Message("No containers.")
    String containers_none();

    @Message("Image")
    String container_image();

    @Message("Ports")
    String container_ports();

    @Message("Created")
    String container_created();

    @Message("Logs")
    String container_logs();

    @Message("Logs of {container}")
    String container_logs_of(String container);

    @Message("Last lines")
    String container_tail();

    @Message("Show")
    String container_refresh();

    @Message("Schedules")
    String nav_schedules();

    @Message("Scheduled runs")
    String schedules_title();

    @Message("No schedules.")
    String schedules_none();

    @Message("New schedule")
    String schedule_new();

    @Message("Edit or delete this schedule")
    String schedule_edit();

    @Message("Cron")
    String schedule_cron();

    @Message("Five fields: minute hour day-of-month month day-of-week, e.g. 0 3 * * 1-5.")
    String schedule_cron_hint();

    @Message("Time zone")
    String schedule_timezone();

    @Message("Missed firing")
    String schedule_misfire();

    @Message("When no leader ran at a due time: skip it, or run once when one is back.")
    String schedule_misfire_hint();

    @Message("skip")
    String misfire_skip();

    @Message("run once")
    String misfire_run_once();

    @Message("Enabled")
    String schedule_enabled();

    @Message("enabled")
    String schedule_enabled_badge();

    @Message("disabled")
    String schedule_disabled();

    @Message("Stored: {names} (values never shown). Leave empty to keep them; type NAME=value lines to replace them all.")
    String schedule_env_stored(String names);

    @Message("Remove the stored environment")
    String schedule_clear_env();

    @Message("(values never shown)")
    String schedule_env_hidden();

    @Message("Targets")
    String schedule_targets();

    @Message("Next run")
    String schedule_next();

    @Message("Last run")
    String schedule_last();

    @Message("Recent runs ({n} in all)")
    String schedule_runs(long n);

    @Message("is required")
    String err_required();

    @Message("must be between {low} and {high}")
    String err_between(String low, String high);

    @Message("must be at most {n} characters")
    String err_at_most_characters(String n);

    @Message("must be a duration of at least 10s, such as 30s, 5m or 1h")
    String err_interval();

    @Message("must be a file://, git://, http(s):// or ssh:// Git URL")
    String err_git_url();

    @Message("must be a file://, git:// or http(s):// URL")
    String err_import_url();

    @Message("must be one of: {words}")
    String err_one_of(String words);

    @Message("'{zone}' is not a time zone; use a region such as Europe/Berlin, or UTC")
    String err_time_zone(String zone);

    @Message("'{pair}' must be key=value")
    String err_key_value(String pair);

    @Message("line {n} must be NAME=value")
    String err_assignment_line(String n);

    @Message("name platforms, a selector, or both")
    String err_targets();

    @Message("must be an http or https URL")
    String err_http_url();

    @Message("'{event}' is not an event; use one of {words}")
    String err_not_an_event(String event, String words);

    @Message("must be {low} to {high} characters; the receiver checks X-Testum-Signature with it")
    String err_secret_length(String low, String high);

    @Message("Alerts")
    String nav_alerts();

    @Message("Alerts")
    String alerts_title();

    @Message("No alerts.")
    String alerts_none();

    @Message("New alert")
    String alert_new();

    @Message("Edit or delete this alert")
    String alert_edit();

    @Message("Type")
    String alert_type();

    @Message("webhook: a JSON body signed with X-Testum-Signature; slack: a Slack-compatible incoming webhook, unsigned (its URL is its secret).")
    String alert_type_hint();

    @Message("URL")
    String alert_url();

    @Message("The http(s) URL to send to. Write-only: afterwards only its scheme, host and port are shown.")
    String alert_url_hint();

    @Message("Stored: {shown} (the rest is never shown). Leave empty to keep it; type a new URL to replace it.")
    String alert_url_stored(String shown);

    @Message("(path and query never shown)")
    String alert_url_hidden();

    @Message("Signing secret")
    String alert_secret();

    @Message("Webhook only: 16 to 512 characters, the HMAC-SHA256 key of X-Testum-Signature. Write-only: once saved, it is never shown. Leave empty for slack.")
    String alert_secret_hint();

    @Message("none (slack alerts are not signed)")
    String alert_secret_none();

    @Message("Waiting for")
    String alert_waiting();

    @Message("not set yet: the alert sends nothing until it is")
    String alert_waiting_hint();

    @Message("GitOps never holds an alert's signing secret, nor its URL when the document leaves it out: set them here. They are sealed and never shown again.")
    String alert_fill_in();

    @Message("Events")
    String alert_events();

    @Message("{#when e}{#is 'source.stalled'}a GitOps source stops applying{#is 'source.recovered'}a stalled source applies again{#is 'deployment.failed'}a deployment fails{#is 'deployment.drifted'}a host's managed block differs from the deployed one{#is 'deployment.unreachable'}a host cannot be reached{#is 'deployment.host_key_mismatch'}a host presents another host key{#is 'deployment.recovered'}a bad deployment is in sync again{#is 'unmanaged_keys.appeared'}new keys outside the managed block{#is 'run.failed'}a run fails or times out{#is 'schedule.failed'}a schedule's run fails, or a firing starts none{#else}{e}{/when}")
    String alert_event_hint(String e);

    @Message("Platform labels, e.g. env=prod: events about platforms alert only when one of their platforms has every label. Empty: every platform.")
    String alert_selector_hint();

    @Message("every platform")
    String alert_selector_all();

    @Message("Delivery log ({n} in all)")
    String alert_deliveries(long n);

    @Message("Nothing sent yet.")
    String deliveries_none();

    @Message("Time")
    String delivery_time();

    @Message("Event")
    String delivery_event();

    @Message("Subject")
    String delivery_subject();

    @Message("Tries")
    String delivery_attempts();

    @Message("HTTP status")
    String delivery_http_status();

    @Message("Next try")
    String delivery_next();

    @Message("{#when s}{#is 'pending'}pending{#is 'delivered'}delivered{#is 'failed'}failed{#else}{s}{/when}")
    String delivery_status(String s);
}
