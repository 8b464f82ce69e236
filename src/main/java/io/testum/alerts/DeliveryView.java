package io.testum.alerts;

import java.time.Instant;

/**
 * One entry of an alert's delivery log.
 *
 * @param time       when the event happened
 * @param status     {@code pending} (not sent yet, or waiting for its next try), {@code delivered}, {@code failed}
 * @param httpStatus the receiver's status code at the last try, if it answered
 * @param error      why the last try failed (never the URL's path or query, never a secret)
 */
public record DeliveryView(long id, Instant time, String event, String subject, String eventId, String status, int attempts,
        Integer httpStatus, String error, Instant nextAttemptAt, Instant finishedAt) {
}
