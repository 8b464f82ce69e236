package io.testum.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.testum.inventory.InventoryChanged;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The changes behind a block, as stored with a deployment and with an interval of the access history. */
final class Changes {

    private Changes() {
    }

    static JsonArray toJson(List<InventoryChanged.Cause> causes) {
        JsonArray array = new JsonArray();
        for (InventoryChanged.Cause c : causes) {
            JsonObject change = new JsonObject().put("source", c.source()).put("revision", c.revision())
                    .put("actor", c.actor()).put("request", c.request()).put("grants", new JsonArray(c.grants()))
                    .put("at", c.at() == null ? null : c.at().toString());
            array.add(change);
        }
        return array;
    }

    static List<InventoryChanged.Cause> fromJson(JsonArray array) {
        if (array == null) {
            return List.of();
        }
        List<InventoryChanged.Cause> causes = new ArrayList<>();
        array.forEach(o -> {
            JsonObject c = (JsonObject) o;
            JsonArray grants = c.getJsonArray("grants");
            List<String> names = new ArrayList<>();
            if (grants != null) {
                grants.forEach(g -> names.add(String.valueOf(g)));
            }
            String at = c.getString("at");
            causes.add(new InventoryChanged.Cause(c.getString("source"), c.getString("revision"), c.getString("actor"),
                    c.getString("request"), names, at == null ? null : Instant.parse(at)));
        });
        return List.copyOf(causes);
    }

    /** The newest change, whose source and revision an interval names; null when there is none. */
    static InventoryChanged.Cause latest(List<InventoryChanged.Cause> causes) {
        return causes.isEmpty() ? null : causes.get(causes.size() - 1);
    }
}
