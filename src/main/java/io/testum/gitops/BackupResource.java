package io.testum.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.testum.audit.AuditContext;
import io.testum.common.ValidationException;

/**
 * {@code GET /api/backup/export} and {@code POST /api/backup/import}: the inventory in the desired-state
 * format, out and back in ({@link BackupService}).
 */
@Path("/api/backup")
public class BackupResource {

    /** The media type of exported documents; YAML also arrives as {@code text/yaml} or plain text. */
    public static final String YAML = "application/yaml";
    /** The file name that problems of a document posted as a raw body point at. */
    static final String BODY_FILE = "backup.yaml";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final BackupService backups;
    private final AuditContext audit;

    public BackupResource(BackupService backups, AuditContext audit) {
        this.backups = backups;
        this.audit = audit;
    }

    @GET
    @Path("export")
    @Produces(YAML)
    public Uni<RestResponse<String>> export() {
        String file = "testum-backup-" + STAMP.format(Instant.now()) + ".yaml";
        return backups.export().map(document -> RestResponse.ResponseBuilder.ok(document, YAML)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build());
    }

    /**
     * Restores a document sent as the body: YAML, or JSON (which YAML 1.2 reads as well).
     * {@code ?dry_run=true} answers the plan and changes nothing.
     */
    @POST
    @Path("import")
    @Consumes({ YAML, "text/yaml", "application/x-yaml", MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON,
            MediaType.APPLICATION_OCTET_STREAM })
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Map<String, Object> importBody(byte[] body, @QueryParam("dry_run") boolean dryRun) {
        return restore(BODY_FILE, body == null ? new byte[0] : body, dryRun);
    }

    /** Restores the first file of a multipart form ({@code curl -F file=@backup.yaml}). */
    @POST
    @Path("import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Map<String, Object> importForm(@RestForm(FileUpload.ALL) List<FileUpload> files, @QueryParam("dry_run") boolean dryRun) {
        if (files == null || files.isEmpty()) {
            throw new ValidationException("file", "the form has no file part; send the document as e.g. -F file=@backup.yaml");
        }
        FileUpload upload = files.get(0);
        byte[] content;
        try {
            content = Files.readAllBytes(upload.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return restore(fileName(upload.fileName()), content, dryRun);
    }

    private Map<String, Object> restore(String file, byte[] content, boolean dryRun) {
        audit.target(file);
        return backups.restore(List.of(new DocumentParser.SourceFile(file, content)), dryRun, audit);
    }

    /** The base name of an uploaded file, for problem locations; {@value #BODY_FILE} when it has none. */
    static String fileName(String uploaded) {
        if (uploaded == null) {
            return BODY_FILE;
        }
        String base = uploaded.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isBlank() ? BODY_FILE : base;
    }
}
