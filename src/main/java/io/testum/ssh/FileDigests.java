package io.testum.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.testum.common.Sha256;

/**
 * What a host's shell prints for a file's content, computed here, so that the shell can tell
 * whether a file still holds the content testum read (or received all of what testum sent)
 * with whichever tool the host has: {@code sha256sum} (GNU coreutils, BusyBox),
 * {@code shasum -a 256} (macOS), {@code sha256} (the BSDs), {@code md5sum}, or POSIX
 * {@code cksum} as the last resort (a CRC, enough to notice a concurrent edit, not an attacker's
 * collision; the account that could forge one could as well edit its own file).
 */
final class FileDigests {

    /** What the host's digest function prints for a file that does not exist. */
    static final String ABSENT = "absent";

    private FileDigests() {
    }

    /** Every form the host may print, space-separated: {@code sha256:<hex> md5:<hex> cksum:<crc>-<size>}. */
    static String of(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(Sha256.of(content)) + " md5:" + md5(content) + " cksum:"
                + cksum(content) + "-" + content.length;
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            CRC_TABLE[i] = c;
        }
    }

    /** POSIX {@code cksum}: CRC-32 (polynomial 0x04C11DB7, unreflected) over the bytes and then the length. */
    static long cksum(byte[] content) {
        int crc = 0;
        for (byte b : content) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xFF];
        }
        for (long length = content.length; length != 0; length >>>= 8) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ (int) length) & 0xFF];
        }
        return ~crc & 0xFFFFFFFFL;
    }
}
