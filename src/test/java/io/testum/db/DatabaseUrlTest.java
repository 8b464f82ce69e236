package io.testum.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void derivesTheReactiveAndJdbcUrlsFromOneUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db.example.com:6432/testum?sslmode=require");
        assertEquals("postgresql://db.example.com:6432/testum?sslmode=require", url.reactiveUrl());
        assertEquals("jdbc:postgresql://db.example.com:6432/testum?sslmode=require", url.jdbcUrl());
    }

    @Test
    void acceptsPostgresAndJdbcSchemesAndTheDefaultPort() {
        assertEquals("postgresql://db:5432/x", DatabaseUrl.parse("postgres://db/x").reactiveUrl());
        assertEquals("postgresql://db:5432/x", DatabaseUrl.parse("jdbc:postgresql://db/x").reactiveUrl());
        assertEquals("postgresql://[::1]:5432/x", DatabaseUrl.parse("postgresql://[::1]/x").reactiveUrl());
    }

    @Test
    void takesCredentialsFromTheUrlButNeverShowsThem() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:p%40ss@db:5432/testum");
        assertEquals(Optional.of("app"), url.user());
        assertEquals(Optional.of("p@ss"), url.password());
        assertFalse(url.toString().contains("p@ss"));
        assertFalse(url.jdbcUrl().contains("app"));
    }

    @Test
    void explainsWhatIsWrongWithoutEchoingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("mysql://u:hunter2@db/x"));
        assertTrue(e.getMessage().contains("the scheme must be postgresql://"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("postgresql://db:5432"))
                .getMessage().contains("must name one database"));
    }
}
