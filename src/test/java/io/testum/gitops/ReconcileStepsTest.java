package io.testum.gitops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.testum.common.FieldError;

/** The reconcile's steps and its loop, each on its own: no database, no Git. */
class ReconcileStepsTest {

    private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
    private static final String NEXT = "fedcba9876543210fedcba9876543210fedcba98";

    private static GitSource source(String fetched, String applied, boolean ready, ReconcileReason reason) {
        return new GitSource(1, "ops", "api", "file:///srv/ops.git", "main", null, Duration.ofMinutes(5), true, false, null,
                null, null, null, null, null, fetched, applied, ready, reason, 0);
    }

    private static ReconcileRun fetched(GitSource source, boolean force, String revision, String yaml) {
        ReconcileRun run = new ReconcileRun(source, "interval", force);
        run.fetched(new GitFetcher.Fetched(revision, List.of(new DocumentParser.SourceFile("testum.yaml", yaml.getBytes(UTF_8)))));
        return run;
    }

    /** A step that records that it ran, and says what it was given to say. */
    private record Recording(String name, List<String> ran, Optional<Outcome> says) implements ReconcileStep {
        @Override
        public Optional<Outcome> run(ReconcileRun run) {
            ran.add(name);
            return says;
        }
    }

    @Test
    void theLoopStopsAtTheFirstStepThatSaysStop() {
        List<String> ran = new ArrayList<>();
        Outcome waiting = new Outcome.Waiting("connection refused");
        List<ReconcileStep> steps = List.of(new Recording("fetch", ran, Optional.empty()),
                new Recording("parse", ran, Optional.of(waiting)), new Recording("plan", ran, Optional.empty()));

        Outcome outcome = Reconciler.runSteps(steps, new ReconcileRun(source(null, null, false, null), "manual", true));

        assertEquals(waiting, outcome);
        assertEquals(List.of("fetch", "parse"), ran, "no step after the one that said stop runs");
    }

    @Test
    void aRunWhoseEveryStepGoesOnIsAppliedAndTimesEachStep() {
        List<String> ran = new ArrayList<>();
        ReconcileRun run = new ReconcileRun(source(null, null, false, null), "manual", true);
        Outcome outcome = Reconciler.runSteps(List.of(new Recording("fetch", ran, Optional.empty()),
                new Recording("deploy", ran, Optional.empty())), run);

        assertEquals(new Outcome.Applied(null), outcome);
        assertTrue(run.timings().matches("fetch \\d+ ms, deploy \\d+ ms"), run.timings());
    }

    @Test
    void fetchEndsTheRunWithNothingToDoForTheAppliedRevision() {
        ReconcileRun run = fetched(source(REVISION, REVISION, true, ReconcileReason.SUCCEEDED), false, REVISION, "");

        Outcome outcome = FetchStep.unchanged(run).orElseThrow();

        assertEquals(new Outcome.NothingToDo(RunResult.Result.UNCHANGED, ReconcileReason.UP_TO_DATE,
                "revision 0123456789ab is applied"), outcome);
    }

    @Test
    void fetchEndsTheRunWithNothingToDoForTheRevisionAlreadyFoundInvalid() {
        ReconcileRun run = fetched(source(REVISION, null, false, ReconcileReason.VALIDATION_FAILED), false, REVISION, "");

        assertEquals(new Outcome.NothingToDo(RunResult.Result.STALLED, ReconcileReason.VALIDATION_FAILED,
                "revision 0123456789ab is invalid; waiting for a new revision"), FetchStep.unchanged(run).orElseThrow());
    }

    @Test
    void fetchGoesOnForANewRevisionOrAForcedRun() {
        assertEquals(Optional.empty(), FetchStep.unchanged(fetched(source(REVISION, REVISION, true, ReconcileReason.SUCCEEDED),
                false, NEXT, "")), "a new revision");
        assertEquals(Optional.empty(), FetchStep.unchanged(fetched(source(REVISION, REVISION, true, ReconcileReason.SUCCEEDED),
                true, REVISION, "")), "a forced run");
        assertEquals(Optional.empty(), FetchStep.unchanged(fetched(source(REVISION, REVISION, false,
                ReconcileReason.FETCH_FAILED), false, REVISION, "")), "the applied revision of a source that is not ready");
    }

    @Test
    void parseRecordsTheDocument() {
        ReconcileRun run = fetched(source(null, null, false, null), false, REVISION, "version: 1\nsettings:\n  prune: false\n");

        assertEquals(Optional.empty(), new ParseStep(100).run(run));
        assertFalse(run.document().settings().prune());
    }

    @Test
    void parseStallsOnAnInvalidDocumentSayingWhere() {
        ReconcileRun run = fetched(source(null, null, false, null), false, REVISION, "version: 2\n");

        Outcome.Stalled stalled = assertInstanceOf(Outcome.Stalled.class, new ParseStep(100).run(run).orElseThrow());

        FieldError first = stalled.errors().get(0);
        assertEquals(List.of("testum.yaml", 1), List.of(first.file(), first.line()));
        assertTrue(first.message().contains("must be 1"), first.message());
        assertNull(stalled.plan());
    }

    @Test
    void aPlanWithErrorsStallsWithItsPlan() {
        Plan.KindPlan none = new Plan.KindPlan(List.of(), List.of(), List.of(), 0);
        Plan plan = new Plan(none, none, none, none);
        List<FieldError> errors = List.of(FieldError.at("testum.yaml", 3, 5, "platform 'web-01' is defined here and is also "
                + "created through the API"));
        Planner.Changes nothing = new Planner.Changes("ops", Map.of(), Map.of(), Map.of(), Map.of(), java.util.Set.of(),
                java.util.Set.of(), java.util.Set.of(), java.util.Set.of());

        assertEquals(Optional.of(new Outcome.Stalled(errors, plan)), PlanStep.stalledBy(new Planner.Result(plan, nothing, errors)));
        assertEquals(Optional.empty(), PlanStep.stalledBy(new Planner.Result(plan, nothing, List.of())));
    }

    @Test
    void aStalledOutcomeSaysWhy() {
        assertThrows(IllegalArgumentException.class, () -> new Outcome.Stalled(List.of(), null));
    }

    @Test
    void theStatusIsReadyOnlyAfterAnApply() {
        Plan.KindPlan none = new Plan.KindPlan(List.of(), List.of(), List.of(), 1);
        Plan plan = new Plan(none, none, none, none);
        RunResult applied = new RunResult("ops", "manual", REVISION, RunResult.Result.APPLIED, ReconcileReason.SUCCEEDED,
                "applied revision 0123456789ab", plan, List.of(), 3, java.time.Instant.now());
        RunResult waiting = new RunResult("ops", "interval", null, RunResult.Result.WAITING, ReconcileReason.FETCH_FAILED,
                "connection refused", null, List.of(), 3, java.time.Instant.now());

        assertEquals(new SourceRepository.Status(true, ReconcileReason.SUCCEEDED, "applied revision 0123456789ab", REVISION,
                REVISION, List.of(), plan.toMap(), true, 0, Duration.ofMinutes(5)),
                Reconciler.status(applied, 0, Duration.ofMinutes(5)));
        assertEquals(new SourceRepository.Status(false, ReconcileReason.FETCH_FAILED, "connection refused", null, null,
                List.of(), null, false, 2, Duration.ofSeconds(10)), Reconciler.status(waiting, 2, Duration.ofSeconds(10)));
    }

    @Test
    void everyReasonHasOneWordBothWays() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(List.of("Pending", "Succeeded", "UpToDate", "ValidationFailed", "FetchFailed", "ReconcileFailed",
                "InProgress"), java.util.Arrays.stream(ReconcileReason.values()).map(ReconcileReason::wire).toList());
        for (ReconcileReason reason : ReconcileReason.values()) {
            assertEquals(reason, ReconcileReason.of(reason.wire()));
            assertEquals("\"" + reason.wire() + "\"", json.writeValueAsString(reason));
            assertEquals(reason, json.readValue("\"" + reason.wire() + "\"", ReconcileReason.class));
        }
        assertNull(ReconcileReason.of(null));
        assertThrows(IllegalArgumentException.class, () -> ReconcileReason.of("validationfailed"));
    }
}
