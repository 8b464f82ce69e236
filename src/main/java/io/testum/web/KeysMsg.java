package io.testum.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the pages about the keys that can log in to the hosts: keys outside Git (the fleet
 * page and the platform page's section), what {@code unmanaged: remove} would take out, and where a
 * key can log in now. English here, Russian in {@code messages/keymsg_ru.properties}; templates read
 * them as {@code keymsg:key}, Java code through {@link UiContext#keyMsg()}.
 *
 * <p>A bundle of its own, not more of {@link Msg}: Quarkus generates the lookup of a bundle with more
 * than 300 messages as code the JVM refuses to load ({@code VerifyError} at start), so each bundle
 * stays under that ({@code MessagesTest} checks it).
 */
@MessageBundle(value = "keymsg", locale = "en")
public interface KeysMsg {

    @Message("Options")
    String col_options();

    @Message("Flags")
    String col_flags();

    @Message("First seen")
    String col_first_seen();

    @Message("Last seen")
    String col_seen_last();

    @Message("testum key")
    String col_known_key();

    @Message("Account")
    String col_account();

    @Message("Last confirmed on the host")
    String col_last_confirmed();

    @Message("{#when f}{#is 'weak'}weak{#is 'unknown'}unknown{#is 'testum_login'}testum's login key{#is 'no_from'}no from={#else}{f}{/when}")
    String flag(String f);

    @Message("{#when f}{#is 'weak'}DSA, or RSA under 2048 bits: testum would refuse to grant it{#is 'unknown'}Not one of testum's keys (ssh_keys) nor its login key{#is 'testum_login'}The key testum logs in with (the platform's credential){#is 'no_from'}Without from= on a platform labelled exposure: internet: any address may use it{#else}{f}{/when}")
    String flag_hint(String f);

    @Message("Keys found in authorized_keys files beside testum's managed block at the last read of each file (deployment or drift check), grouped by fingerprint: the key on the most accounts first.")
    String unmanaged_lead();

    @Message("Fingerprint, public key or .pub file")
    String unmanaged_search();

    @Message("A SHA256 fingerprint as ssh-keygen -l prints it, a public key line, or the content of a .pub file. Never a private key.")
    String unmanaged_search_hint();

    @Message("Find where it can log in")
    String unmanaged_search_submit();

    @Message("Weak keys only")
    String unmanaged_only_weak();

    @Message("Keys not in ssh_keys only")
    String unmanaged_only_unknown();

    @Message("Where {fingerprint} was found outside Git")
    String unmanaged_showing(String fingerprint);

    @Message("All keys outside Git")
    String unmanaged_all();

    @Message("{n} {#if n == 1}fingerprint{#else}fingerprints{/if}")
    String unmanaged_groups(long n);

    @Message("{pairs} {#if pairs == 1}account{#else}accounts{/if} on {platforms} {#if platforms == 1}platform{#else}platforms{/if}")
    String unmanaged_reach(long pairs, long platforms);

    @Message("No keys outside the managed blocks match.")
    String unmanaged_none();

    @Message("The first {listed} of {total}; the export lists them all.")
    String unmanaged_more(long listed, long total);

    @Message("A fingerprint is SHA256: and 43 more characters, as ssh-keygen -l prints it.")
    String unmanaged_bad_fingerprint();

    @Message("Paste a fingerprint or a public key.")
    String unmanaged_paste_empty();

    @Message("That is a private key. It was refused and neither kept nor shown: paste the public key (the .pub file) instead. If the private key was pasted anywhere else, treat it as exposed.")
    String unmanaged_paste_private();

    @Message("That holds several keys: paste one.")
    String unmanaged_paste_several();

    @Message("That is neither a fingerprint nor a public key. Paste one line such as ssh-ed25519 AAAA… user@host, or a fingerprint SHA256:…")
    String unmanaged_paste_not_a_key();

    @Message("Keys outside the managed block")
    String platform_unmanaged();

    @Message("Found beside testum's block at the last read of each file. The platform's source says unmanaged: {mode}.")
    String platform_unmanaged_lead(String mode);

    @Message("No keys outside the managed block at the last read.")
    String platform_unmanaged_none();

    @Message("Preview what remove takes out")
    String platform_removal_preview();

    @Message("What unmanaged: remove takes out of {platform}")
    String removal_title(String platform);

    @Message("A dry run, as of the last read of each file: at the next deployment or drift check, testum removes from each merge-mode file every key outside the block but its own login key, and the lines that are not keys. The block, blank lines and comments stay.")
    String removal_lead();

    @Message("The platform's source says unmanaged: {mode}, so nothing is removed; this is what remove would take out.")
    String removal_not_enabled(String mode);

    @Message("{user}: {n} {#if n == 1}line that is not a key{#else}lines that are not keys{/if} (not shown)")
    String removal_unparsed(String user, long n);

    @Message("Nothing to remove.")
    String removal_none();

    @Message("Remove them now (deploy the keys)")
    String removal_now();

    @Message("Remove the keys outside the managed block of {platform} now?")
    String removal_confirm(String platform);

    @Message("Where it can log in now")
    String key_reach();

    @Message("As testum last saw the hosts: where its managed block carries the key and is in sync, and where the key was found outside the block.")
    String key_reach_lead();

    @Message("Through testum's managed block, in sync")
    String key_managed();

    @Message("No managed block in sync carries this key.")
    String key_managed_none();

    @Message("Granted, but the block is not in sync on the host")
    String key_pending();

    @Message("Outside the managed block")
    String key_unmanaged();

    @Message("Not found outside any managed block.")
    String key_unmanaged_none();

    @Message("All sightings of this fingerprint")
    String key_unmanaged_all();

    @Message("Access history")
    String history();

    @Message("Who could log in to each account, as testum saw it on the host: each block it deployed, each block it found changed there, and each key outside the block, from when to when, with the change behind it. Newest first.")
    String history_lead();

    @Message("No access history yet: it starts at the first deployment or drift check of this platform.")
    String history_none();

    @Message("The latest {listed} of {total}; the export lists them all.")
    String history_more(long listed, long total);

    @Message("{#when o}{#is 'managed'}deployed by testum{#is 'drift'}changed on the host{#is 'unmanaged'}outside the block{#else}{o}{/when}")
    String history_observed(String o);

    @Message("{#when e}{#is 'deployed'}testum deployed the next block{#is 'changed_on_host'}found changed on the host{#is 'removed_from_host'}found gone from the host{#is 'platform_deleted'}the platform left testum{#else}{e}{/when}")
    String history_ended(String e);

    @Message("in force")
    String history_in_force();

    @Message("last seen {time}")
    String history_last_seen(String time);

    @Message("From")
    String col_from();

    @Message("To")
    String col_to();

    @Message("Cause")
    String col_cause();

    @Message("{source} at {revision}")
    String cause_git(String source, String revision);

    @Message("{request}{#if actor} by {actor}{/if}")
    String cause_api(String request, String actor);

    @Message("import{#if revision} of {revision}{/if}{#if actor} by {actor}{/if}")
    String cause_import(String revision, String actor);

    @Message("restore from a backup{#if actor} by {actor}{/if}")
    String cause_restore(String actor);

    @Message("grants expired: {grants}")
    String cause_expiry(String grants);

    @Message("not recorded (seen on the host)")
    String cause_none();

    @Message("Logs in since")
    String col_since();

    @Message("Since when the key could log in there without a break, as the access history saw it")
    String since_hint();

    @Message("not in the history")
    String since_unknown();
}
