package io.testum.common;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What every inventory object has: a name it is addressed by, an owner ({@link Source}), and
 * timestamps. The version column guards against lost updates: a write names the version it read,
 * and one that finds another fails with 409 instead of overwriting a change it never saw.
 * Subclasses map their own columns by hand; this class reads and writes the common ones.
 */
public abstract class InventoryEntity {

    /** The columns every inventory table has, as {@link #readCommon} reads them. */
    public static final String COLUMNS = "id, name, description, source, source_revision, created_at, updated_at, version";

    public Long id;
    public String name;
    public String description;
    /** {@code api}, or the GitOps source that manages the object. */
    public String source;
    /** The Git revision that last wrote the object, for Git-managed objects. */
    public String sourceRevision;
    public Instant createdAt;
    public Instant updatedAt;
    public long version;

    /** Stamps a change: the update time, and the creation time of a new object. */
    public void touch() {
        updatedAt = Timestamps.now();
        if (createdAt == null) {
            createdAt = updatedAt;
        }
    }

    /** Fills the common fields from a row that holds {@link #COLUMNS}. */
    protected void readCommon(Row r) {
        id = r.getLong("id");
        name = r.getString("name");
        description = r.getString("description");
        source = r.getString("source");
        sourceRevision = r.getString("source_revision");
        createdAt = Timestamps.of(r, "created_at");
        updatedAt = Timestamps.of(r, "updated_at");
        version = r.getLong("version");
    }

    /**
     * Inserts the object into {@code table}: the common columns, then {@code columns} with
     * {@code values}; sets {@link #id}.
     */
    protected Uni<Void> insert(SqlClient c, String table, List<String> columns, Object... values) {
        List<Object> params = new ArrayList<>(Arrays.asList(name, description, source, sourceRevision,
                Timestamps.utc(createdAt), Timestamps.utc(updatedAt), version));
        params.addAll(Arrays.asList(values));
        StringBuilder placeholders = new StringBuilder();
        for (int i = 1; i <= params.size(); i++) {
            placeholders.append(i == 1 ? "" : ", ").append('$').append(i);
        }
        return c.preparedQuery("INSERT INTO " + table + " (name, description, source, source_revision, created_at, updated_at, "
                + "version, " + String.join(", ", columns) + ") VALUES (" + placeholders + ") RETURNING id")
                .execute(Tuple.from(params)).map(rows -> {
                    id = rows.iterator().next().getLong("id");
                    return null;
                });
    }

    /**
     * Writes the object back to {@code table}: the common columns and {@code columns} with
     * {@code values}, when the row still has the version that was read; the version goes up by one.
     *
     * @param kind what the object is, for the conflict's message ("platform", "key")
     */
    protected Uni<Void> update(SqlClient c, String table, String kind, List<String> columns, Object... values) {
        List<Object> params = new ArrayList<>(Arrays.asList(id, version, description, source, sourceRevision,
                Timestamps.utc(updatedAt)));
        params.addAll(Arrays.asList(values));
        StringBuilder set = new StringBuilder("description = $3, source = $4, source_revision = $5, updated_at = $6, "
                + "version = version + 1");
        for (int i = 0; i < columns.size(); i++) {
            set.append(", ").append(columns.get(i)).append(" = $").append(i + 7);
        }
        return c.preparedQuery("UPDATE " + table + " SET " + set + " WHERE id = $1 AND version = $2")
                .execute(Tuple.from(params)).map(rows -> {
                    requireOneRow(rows, kind);
                    version++;
                    return null;
                });
    }

    /** Deletes the object from {@code table} when the row still has the version that was read. */
    protected Uni<Void> delete(SqlClient c, String table, String kind) {
        return c.preparedQuery("DELETE FROM " + table + " WHERE id = $1 AND version = $2").execute(Tuple.of(id, version))
                .map(rows -> {
                    requireOneRow(rows, kind);
                    return null;
                });
    }

    private void requireOneRow(RowSet<Row> rows, String kind) {
        if (rows.rowCount() == 0) {
            throw new ConflictException(kind + " '" + name + "' was changed or deleted by another request at the same moment; "
                    + "read it again and retry");
        }
    }
}
