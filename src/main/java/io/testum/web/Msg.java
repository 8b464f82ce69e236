package io.testum.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;
import io.testum.deploy.DeploymentStatus;
import io.testum.gitops.RunResult;
import io.testum.inventory.Reachability;
import io.testum.runs.RunStatus;

/**
 * Every text the web UI shows, in English here and in Russian in {@code messages/msg_ru.properties}.
 * Templates read them as {@code msg:key}; Java code through {@link UiContext#msg()}. Statuses are
 * translated by their type: {@link #deployment}, {@link #reachability}, {@link #run} and {@link #reconcile};
 * the other words a badge shows (readiness, grants, tokens, users, audit outcomes) by {@link #status(String)}.
 */
@MessageBundle(value = "msg", locale = "en")
public interface Msg {

    @Message("Skip to content")
    String skip_to_content();

    @Message("Main")
    String nav_label();

    @Message("Dashboard")
    String nav_dashboard();

    @Message("Platforms")
    String nav_platforms();

    @Message("Keys")
    String nav_keys();

    @Message("Credentials")
    String nav_credentials();

    @Message("Access")
    String nav_access();

    @Message("GitOps")
    String nav_gitops();

    @Message("Runs")
    String nav_runs();

    @Message("Audit")
    String nav_audit();

    @Message("Users")
    String nav_users();

    @Message("API tokens")
    String nav_tokens();

    @Message("Dark theme")
    String theme_to_dark();

    @Message("Light theme")
    String theme_to_light();

    @Message("ru")
    String lang_other_code();

    @Message("Русский")
    String lang_other_name();

    @Message("Log out")
    String logout();

    @Message("Back")
    String back();

    @Message("{#when r}{#is 'viewer'}viewer{#is 'operator'}operator{#is 'admin'}admin{#else}{r}{/when}")
    String role(String r);

    @Message("{#when s}{#is IN_SYNC}in sync{#is PENDING}pending{#is DRIFTED}drifted{#is FAILED}failed{#is UNREACHABLE}unreachable{#is HOST_KEY_MISMATCH}host key mismatch{/when}")
    String deployment(DeploymentStatus s);

    @Message("{#when r}{#is REACHABLE}reachable{#is UNREACHABLE}unreachable{#is UNKNOWN}unknown{/when}")
    String reachability(Reachability r);

    @Message("{#when s}{#is QUEUED}queued{#is RUNNING}running{#is SUCCEEDED}succeeded{#is FAILED}failed{#is CANCELED}canceled{#is TIMED_OUT}timed out{/when}")
    String run(RunStatus s);

    @Message("{#when r}{#is APPLIED}applied{#is UNCHANGED}unchanged{#is STALLED}stalled{#is WAITING}waiting{#is FAILED}failed{#is SKIPPED}skipped{/when}")
    String reconcile(RunResult.Result r);

    @Message("{#when s}{#is 'pending'}pending{#is 'success'}success{#is 'failure'}failure{#is 'denied'}denied{#is 'ready'}ready{#is 'not_ready'}not ready{#is 'suspended'}suspended{#is 'api'}API{#is 'expired'}expired{#is 'revoked'}revoked{#is 'enabled'}enabled{#is 'disabled'}disabled{#else}{s}{/when}")
    String status(String s);

    @Message("The form has expired")
    String error_csrf();

    @Message("The request was not accepted")
    String error_invalid();

    @Message("Your role does not allow this")
    String error_forbidden();

    @Message("Not found")
    String error_not_found();

    @Message("This conflicts with the current state")
    String error_conflict();

    @Message("Too many attempts; wait a moment")
    String error_throttled();

    @Message("The host could not be asked")
    String error_unavailable();

    @Message("testum failed unexpectedly")
    String error_internal();

    @Message("Log in")
    String login_title();

    @Message("GitOps for SSH access: is the fleet in the state Git says?")
    String login_lead();

    @Message("User name")
    String login_username();

    @Message("Password")
    String login_password();

    @Message("Log in")
    String login_submit();

    @Message("Invalid user name or password")
    String login_failed();

    @Message("Too many failed logins; try again in a few minutes")
    String login_throttled();

    @Message("any")
    String any();

    @Message("SSH key")
    String auth_key();

    @Message("password")
    String auth_password();

    @Message("Address")
    String col_address();

    @Message("Applied revision")
    String col_applied_revision();

    @Message("Command")
    String col_command();

    @Message("Created")
    String col_created();

    @Message("Error")
    String col_error();

    @Message("Finished")
    String col_finished();

    @Message("Hosts")
    String col_hosts();

    @Message("Keys")
    String col_keys();

    @Message("Last attempt")
    String col_last_attempt();

    @Message("Last seen")
    String col_last_seen();

    @Message("Last success")
    String col_last_success();

    @Message("Name")
    String col_name();

    @Message("Platform")
    String col_platform();

    @Message("Reason")
    String col_reason();

    @Message("Requested by")
    String col_requested_by();

    @Message("Source")
    String col_source();

    @Message("Started")
    String col_started();

    @Message("State")
    String col_state();

    @Message("Status")
    String col_status();

    @Message("User")
    String col_user();

    @Message("Delete {name}?")
    String confirm_delete(String name);

    @Message("Create")
    String create();

    @Message("Fleet overview")
    String dashboard_title();

    @Message("As of {time}")
    String dashboard_collected(String time);

    @Message("Deployments")
    String dashboard_deployments();

    @Message("Runs in the last 24 hours")
    String dashboard_runs_24h();

    @Message("GitOps sources")
    String dashboard_sources();

    @Message("No GitOps source is configured.")
    String dashboard_no_sources();

    @Message("Deployments not in sync")
    String dashboard_failing();

    @Message("Every deployment is in sync or pending.")
    String dashboard_all_in_sync();

    @Message("Recent runs")
    String dashboard_recent_runs();

    @Message("Delete")
    String delete();

    @Message("exit code")
    String exit_code();

    @Message("Login method")
    String field_auth_method();

    @Message("authorized_keys mode")
    String field_authorized_keys_mode();

    @Message("authorized_keys path")
    String field_authorized_keys_path();

    @Message("Command")
    String field_command();

    @Message("Script")
    String field_script();

    @Message("Interpreter")
    String field_interpreter();

    @Message("Arguments")
    String field_args();

    @Message("Environment")
    String field_env();

    @Message("A command, or a script: the script goes to the interpreter (default /bin/sh) on stdin, never on the host's command line.")
    String hint_script();

    @Message("One argument per line.")
    String hint_args();

    @Message("NAME=value, one per line. Values are sealed and never shown again; only the names are.")
    String hint_env();

    @Message("script ({interpreter})")
    String run_script(String interpreter);

    @Message("Hosts at once")
    String field_concurrency();

    @Message("Credential")
    String field_credential();

    @Message("Description")
    String field_description();

    @Message("Host")
    String field_host();

    @Message("Host key")
    String field_host_key();

    @Message("Labels")
    String field_labels();

    @Message("Stop after this many failed hosts")
    String field_max_failures();

    @Message("Platforms")
    String field_platforms();

    @Message("Port")
    String field_port();

    @Message("Label selector")
    String field_selector();

    @Message("Timeout per host (seconds)")
    String field_timeout();

    @Message("Login user")
    String field_username();

    @Message("Filter")
    String filter();

    @Message("Optional: the host's public key, required when the policy is strict.")
    String hint_host_key();

    @Message("Only an admin may declare or change the host key: it decides which machine testum trusts with its credentials.")
    String hint_host_key_admin();

    @Message("The host key of this address is pinned: only an admin may point the platform at another host or port.")
    String hint_address_pinned();

    @Message("Labels as key=value or key, separated by commas; all must match.")
    String hint_label_filter();

    @Message("key=value pairs separated by commas, e.g. env=prod, tier=web")
    String hint_labels();

    @Message("Names separated by commas or spaces.")
    String hint_names();

    @Message("Loading…")
    String loading();

    @Message("exclusive: the file holds only testum's block")
    String mode_exclusive();

    @Message("merge: keep the rest of the file")
    String mode_merge();

    @Message("Next page")
    String next();

    @Message("none")
    String none();

    @Message("Created.")
    String notice_created();

    @Message("Deleted.")
    String notice_deleted();

    @Message("Deployed: the table shows each account's state now.")
    String notice_deployed();

    @Message("Resumed.")
    String notice_resumed();

    @Message("Revoked.")
    String notice_revoked();

    @Message("Saved.")
    String notice_saved();

    @Message("Suspended.")
    String notice_suspended();

    @Message("Synchronized: the status below is the result.")
    String notice_synced();

    @Message("Pages")
    String pages();

    @Message("Deploy keys now")
    String platform_deploy_now();

    @Message("Keys and deployment state per account")
    String platform_deployments();

    @Message("Lines that differed on the host:")
    String platform_drifted_lines();

    @Message("Edit or delete")
    String platform_edit();

    @Message("Facts")
    String platform_facts();

    @Message("No access grant reaches this platform.")
    String platform_no_deployments();

    @Message("Run a command")
    String platform_run();

    @Message("Output")
    String platform_run_output();

    @Message("Run")
    String platform_run_submit();

    @Message("Host stats")
    String platform_stats();

    @Message("Test SSH")
    String platform_test_ssh();

    @Message("Add a platform")
    String platforms_new();

    @Message("No platform matches.")
    String platforms_none();

    @Message("Previous page")
    String previous();

    @Message("Cancel the run")
    String run_cancel();

    @Message("Cancel this run? Running commands get SIGTERM, then SIGKILL.")
    String run_cancel_confirm();

    @Message("The run has finished.")
    String run_finished();

    @Message("{n} {#if n == 1}host{#else}hosts{/if}")
    String run_group(int n);

    @Message("Grouped by identical output")
    String run_groups();

    @Message("Hosts with the same exit code, stdout and stderr, largest group first.")
    String run_groups_lead();

    @Message("Output per host")
    String run_hosts();

    @Message("Live: output appears as the hosts send it.")
    String run_live();

    @Message("The live connection ended; reload the page to see the rest.")
    String run_live_lost();

    @Message("Open the run")
    String run_open();

    @Message("Run")
    String run_title();

    @Message("Output was cut at the size limit, or shortened here: the API (GET /api/runs/ID) answers all of it.")
    String run_truncated();

    @Message("More groups follow: the API (GET /api/runs/ID/groups) answers all of them.")
    String run_more_groups();

    @Message("Start a run")
    String runs_new();

    @Message("No runs.")
    String runs_none();

    @Message("Start")
    String runs_start();

    @Message("Runs")
    String runs_title();

    @Message("Save")
    String save();

    @Message("Search")
    String search();

    @Message("Git: {source}")
    String source_git(String source);

    @Message("Host key:")
    String ssh_host_key();

    @Message("The host answered, but the login failed.")
    String ssh_login_failed();

    @Message("Logged in ({ms} ms).")
    String ssh_ok(Long ms);

    @Message("The host did not answer.")
    String ssh_unreachable();

    @Message("Read at")
    String stats_collected();

    @Message("Disk")
    String stats_disk();

    @Message("The stats could not be loaded.")
    String stats_failed();

    @Message("Load (1, 5, 15 min)")
    String stats_load();

    @Message("Memory")
    String stats_memory();

    @Message("Uptime")
    String stats_uptime();

    @Message("{days} d {hours} h {minutes} min")
    String stats_uptime_value(long days, long hours, long minutes);

    @Message("{used} of {total} used")
    String stats_used_of(String used, String total);

    @Message("{n} in all")
    String total(long n);

    @Message("the platform's login user")
    String access_login_user();

    @Message("Add an access grant")
    String access_new();

    @Message("No access grants.")
    String access_none();

    @Message("Access grants")
    String access_title();

    @Message("Where")
    String access_where();

    @Message("Action")
    String audit_action();

    @Message("Actor")
    String audit_actor();

    @Message("Client address")
    String audit_client();

    @Message("Details")
    String audit_details();

    @Message("Export as CSV")
    String audit_export_csv();

    @Message("Export as JSON")
    String audit_export_json();

    @Message("From (UTC)")
    String audit_from();

    @Message("No entries match.")
    String audit_none();

    @Message("Outcome")
    String audit_outcome();

    @Message("Target")
    String audit_target();

    @Message("Time")
    String audit_time();

    @Message("Until (UTC)")
    String audit_to();

    @Message("Actions")
    String col_actions();

    @Message("Comment")
    String col_comment();

    @Message("Fetched revision")
    String col_fetched_revision();

    @Message("Fingerprint")
    String col_fingerprint();

    @Message("Type")
    String col_type();

    @Message("Updated")
    String col_updated();

    @Message("Bits (RSA only)")
    String credentials_bits();

    @Message("Download the public key")
    String credentials_download();

    @Message("Generate a key pair")
    String credentials_generate();

    @Message("Generate")
    String credentials_generate_submit();

    @Message("Import a private key or a password")
    String credentials_import();

    @Message("Give either a private key (with its passphrase, if it has one) or a password.")
    String credentials_import_hint();

    @Message("Import")
    String credentials_import_submit();

    @Message("Secrets are encrypted at rest and never shown again; only public keys come back.")
    String credentials_lead();

    @Message("declared in Git, no secret yet")
    String credentials_no_secret();

    @Message("No credentials.")
    String credentials_none();

    @Message("Passphrase")
    String credentials_passphrase();

    @Message("Password")
    String credentials_password();

    @Message("Private key")
    String credentials_private_key();

    @Message("Used by")
    String credentials_used_by();

    @Message("Allowed on")
    String credentials_bound_to();

    @Message("any platform")
    String credentials_bound_anywhere();

    @Message("Bind")
    String credentials_binding_edit();

    @Message("Platforms (names, comma-separated)")
    String credentials_binding_platforms();

    @Message("Platforms with the labels")
    String credentials_binding_selector();

    @Message("testum offers the credential only to these platforms, whoever made them, also when they are made later. Both empty: any platform.")
    String credentials_binding_hint();

    @Message("Edit or delete")
    String edit_or_delete();

    @Message("Account on the host")
    String field_account();

    @Message("Expires (UTC)")
    String field_expires();

    @Message("Keys")
    String field_keys();

    @Message("authorized_keys options")
    String field_options();

    @Message("Public key")
    String field_public_key();

    @Message("Managed by the GitOps source {source}: change it in Git.")
    String git_managed(String source);

    @Message("Branch, tag or commit")
    String gitops_branch();

    @Message("Created")
    String gitops_created();

    @Message("Deleted")
    String gitops_deleted();

    @Message("Preview the diff")
    String gitops_diff();

    @Message("Another branch or commit shows what merging it would change.")
    String gitops_diff_hint();

    @Message("What applying {ref} would change, nothing applied. Revision:")
    String gitops_diff_lead(String ref);

    @Message("Branch or commit")
    String gitops_diff_ref();

    @Message("Diff of {source}")
    String gitops_diff_title(String source);

    @Message("Duration")
    String gitops_duration();

    @Message("This revision is invalid ({n} {#if n == 1}problem{#else}problems{/if}); nothing was applied:")
    String gitops_errors(int n);

    @Message("Poll interval")
    String gitops_interval();

    @Message("authorized_keys lines gained and lost")
    String gitops_key_lines();

    @Message("Kind")
    String gitops_kind();

    @Message("No authorized_keys file would change.")
    String gitops_no_key_changes();

    @Message("No plan yet.")
    String gitops_no_plan();

    @Message("Not reconciled yet.")
    String gitops_no_runs();

    @Message("Defined in")
    String gitops_origin();

    @Message("the API")
    String gitops_origin_api();

    @Message("configuration (testum.gitops.*)")
    String gitops_origin_config();

    @Message("File or folder")
    String gitops_path();

    @Message("the first of the usual names")
    String gitops_path_default();

    @Message("Plan")
    String gitops_plan();

    @Message("Prune what Git no longer declares")
    String gitops_prune();

    @Message("Repository")
    String gitops_repository();

    @Message("Result")
    String gitops_result();

    @Message("Resume")
    String gitops_resume();

    @Message("Revision")
    String gitops_revision();

    @Message("Recent reconciles")
    String gitops_runs();

    @Message("Suspend")
    String gitops_suspend();

    @Message("Sync now")
    String gitops_sync_now();

    @Message("GitOps sources")
    String gitops_title();

    @Message("Trigger")
    String gitops_trigger();

    @Message("Unchanged")
    String gitops_unchanged();

    @Message("Updated")
    String gitops_updated();

    @Message("Empty: the platform's login user.")
    String hint_account();

    @Message("Optional, e.g. 2026-12-31T18:00:00Z.")
    String hint_expires();

    @Message("Deployed on")
    String keys_deployed_on();

    @Message("Add a public key")
    String keys_new();

    @Message("No keys.")
    String keys_none();

    @Message("{#when k}{#is 'platform'}Platforms{#is 'ssh_key'}Keys{#is 'credential'}Credentials{#is 'access'}Access grants{#is 'schedule'}Schedules{#else}{k}{/when}")
    String kind(String k);

    @Message("no")
    String no();

    @Message("yes")
    String yes();

    @Message("Token {name} created. Copy it now: it is not shown again.")
    String tokens_created(String name);

    @Message("Valid for (days)")
    String tokens_days();

    @Message("Expires")
    String tokens_expires();

    @Message("Last used")
    String tokens_last_used();

    @Message("Create an API token")
    String tokens_new();

    @Message("No API tokens.")
    String tokens_none();

    @Message("Owner")
    String tokens_owner();

    @Message("Revoke")
    String tokens_revoke();

    @Message("Revoke the token {name}?")
    String tokens_revoke_confirm(String name);

    @Message("Enabled")
    String users_enabled();

    @Message("Last login")
    String users_last_login();

    @Message("Add a user")
    String users_new();

    @Message("New password (leave empty to keep)")
    String users_new_password();

    @Message("At least 12 characters.")
    String users_password_hint();

    @Message("Role")
    String users_role();

    @Message("Keys outside Git")
    String nav_unmanaged();
}
