package io.testum.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks a class of HTML pages: {@link PageFilter} checks its form posts' CSRF token, sends
 * anonymous visitors to the login page, and shows refusals and failures as pages, not JSON.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface WebPage {
}
