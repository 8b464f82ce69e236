package io.testum.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ~/.testum/config.json}: the service's URL and the tokens of the last login,
 * {@code {"url": ..., "access_token": ..., "refresh_token": ...}}. Written with mode 0600 in a
 * directory of mode 0700, by write-to-temporary-and-rename, so a crash never leaves half a file.
 */
record Config(String url, String accessToken, String refreshToken) {

    static final Config EMPTY = new Config(null, null, null);
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    static Path file(Path home) {
        return home.resolve(".testum").resolve("config.json");
    }

    /** The stored configuration, or {@link #EMPTY} when there is none. */
    static Config load(Path home) {
        Path file = file(home);
        if (!Files.exists(file)) {
            return EMPTY;
        }
        try {
            Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new ApiException(file + " is not a JSON object; remove it and log in again");
            }
            return new Config(text(map.get("url")), text(map.get("access_token")), text(map.get("refresh_token")));
        } catch (IOException e) {
            throw new ApiException("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(file + " is damaged (" + e.getMessage() + "); remove it and log in again");
        }
    }

    void save(Path home) {
        Path file = file(home);
        Path dir = file.getParent();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("access_token", accessToken);
        json.put("refresh_token", refreshToken);
        try {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = dir.resolve("config.json." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("another testumctl is writing " + file, e);
            }
            Files.writeString(tmp, Json.pretty(json) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    Config withTokens(String access, String refresh) {
        return new Config(url, access, refresh);
    }

    boolean loggedIn() {
        return url != null && accessToken != null;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public String toString() {
        return "Config[" + url + ", tokens=***]";
    }
}
