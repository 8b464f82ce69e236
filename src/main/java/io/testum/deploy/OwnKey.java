package io.testum.deploy;

import java.util.Optional;

/**
 * The last check before testum writes the account it logs in as: the block must hold the key
 * testum logged in with, on a line of its own without options (sshd applies the options of the
 * first line that carries a key, so {@code command=} or {@code restrict} on any line of it would
 * shut testum out). The desired state refuses such blocks earlier, by grant; this check also
 * covers a credential whose key changed (a rotated Kubernetes Secret) since the block was computed.
 */
final class OwnKey {

    private OwnKey() {
    }

    /**
     * Why {@code block} must not be written, if it must not.
     *
     * @param loginKey the key testum is logged in with, {@code type base64}
     */
    static Optional<String> refusal(String block, String loginKey) {
        String[] own = loginKey.strip().split("\\s+");
        boolean plain = false;
        for (String line : ManagedBlock.lines(block)) {
            String[] tokens = line.strip().split("\\s+");
            boolean carries = false;
            for (int i = 1; i < tokens.length; i++) {
                carries |= tokens[i].equals(own[1]) && tokens[i - 1].endsWith(own[0]);
            }
            if (!carries) {
                continue;
            }
            if (tokens[0].equals(own[0]) && tokens.length > 1 && tokens[1].equals(own[1])) {
                plain = true;
            } else {
                return Optional.of("the block puts options on testum's own login key (" + own[0]
                        + "), which could lock testum out");
            }
        }
        return plain ? Optional.empty() : Optional.of("the block does not hold the key testum logs in with (" + own[0]
                + "); writing it would lock testum out (has the credential's key changed? the next pass recomputes the block)");
    }
}
