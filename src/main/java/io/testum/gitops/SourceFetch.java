package io.testum.gitops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.testum.db.DatabaseConfig;
import io.testum.keys.CredentialSecrets;
import io.testum.secrets.SecretCipher;
import io.testum.ssh.SshAuth;
import io.testum.ssh.SshConfig;
import io.testum.ssh.SshKeys;

/**
 * Fetches a source's document: opens its token or credential, checks its SSH host key as the
 * policy says, and pins the key seen at first contact. Blocking: call it from a worker thread.
 */
@ApplicationScoped
class SourceFetch {

    private final GitFetcher fetcher;
    private final GitFetcher previewFetcher;
    private final SourceRepository sources;
    private final SecretCipher cipher;
    private final CredentialSecrets credentials;
    private final GitopsConfig config;
    private final SshConfig ssh;
    private final Duration databaseWait;
    private final Map<String, ReentrantLock> previewLocks = new ConcurrentHashMap<>();

    SourceFetch(@Named(GitFetchers.RECONCILE) GitFetcher fetcher, @Named(GitFetchers.PREVIEW) GitFetcher previewFetcher,
            SourceRepository sources, SecretCipher cipher, CredentialSecrets credentials, GitopsConfig config, SshConfig ssh,
            DatabaseConfig database) {
        this.fetcher = fetcher;
        this.previewFetcher = previewFetcher;
        this.sources = sources;
        this.cipher = cipher;
        this.credentials = credentials;
        this.config = config;
        this.ssh = ssh;
        this.databaseWait = database.waitTimeout();
    }

    /** Fetches {@code ref} of the source into its reconcile mirror; call it holding the source's lock. */
    GitFetcher.Fetched fetch(GitSource source, String ref) {
        return fetcher.fetch(request(source, ref), pin(source));
    }

    /**
     * Fetches {@code ref} of the source for a diff, into a mirror of its own: a preview neither
     * waits for a reconcile nor touches the mirror one reads. Previews of one source take turns.
     */
    GitFetcher.Fetched preview(GitSource source, String ref) {
        ReentrantLock lock = previewLocks.computeIfAbsent(source.name(), n -> new ReentrantLock());
        if (!Reconciler.tryLock(lock, databaseWait)) {
            throw new GitFetcher.FetchException("Another diff of source '" + source.name() + "' is still fetching", null);
        }
        try {
            return previewFetcher.fetch(request(source, ref), pin(source));
        } finally {
            lock.unlock();
        }
    }

    private Consumer<String> pin(GitSource source) {
        return fingerprint -> sources.pinSshHostKey(source.name(), fingerprint).await().atMost(databaseWait);
    }

    private GitFetcher.Request request(GitSource source, String ref) {
        String token = source.token() == null ? null : cipher.decryptString(source.token(), GitSource.purpose(source.name(), "token"));
        java.security.KeyPair key = null;
        if (source.credential() != null) {
            CredentialSecrets.Login login = credentials.find(source.credential()).await().atMost(databaseWait);
            if (login == null) {
                throw new GitFetcher.FetchException("credential '" + source.credential() + "' does not exist", null);
            }
            SshAuth auth = credentials.open(login);
            if (!(auth instanceof SshAuth.Key keyAuth)) {
                throw new GitFetcher.FetchException("credential '" + source.credential() + "' holds a password; Git over SSH "
                        + "needs a key", null);
            }
            key = SshKeys.keyPair(keyAuth.openSshPrivateKey());
        }
        GitFetcher.HostKeyCheck hostKeys = new GitFetcher.HostKeyCheck(source.hostKey(), source.sshHostKey(),
                ssh.hostKeyPolicy() == SshConfig.HostKeyPolicy.STRICT);
        return new GitFetcher.Request(source.name(), source.url(), ref, source.path(), source.username(), token, key, hostKeys,
                config.fetchTimeout());
    }
}
