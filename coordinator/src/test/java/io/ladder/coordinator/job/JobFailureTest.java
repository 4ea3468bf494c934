package io.ladder.coordinator.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An actor that throws after the job started (injected: LADDER_FAIL_AT=learner.step#3) ends the
 * job with one line naming the actor and the cause, exit code 1, the trace in the run folder's
 * ladder.log; --resume then finishes the run from its last checkpoint.
 */
class JobFailureTest {
    @TempDir
    Path tmp;

    @Test
    void anActorsExceptionIsOneLineAndTheRunResumes() throws Exception {
        Path model = tmp.resolve("model");
        JobProcess.tinyModel(model, "--seed", "1");
        Path config = tmp.resolve("job.yaml");
        Files.writeString(config, String.join("\n", "name: failing", "model: {path: " + model + "}",
                "task: {kind: fixed_digit, digit: 7}", "algorithm: {name: grpo, lr: 0.01}",
                "rollout: {group_size: 4, prompts_per_step: 2, prompts_per_call: 2, max_new_tokens: 2}",
                "steps: 4", "checkpoint_every: 2", "eval: {problems: 0}", ""));
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("fail.log");
        ProcessBuilder pb = JobProcess.builder(log, "train", "--config", config.toString(), "--run-dir", run.toString());
        pb.environment().put("LADDER_FAIL_AT", "learner.step#3");
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), JobProcess.tail(log));
        assertEquals(1, p.exitValue(), JobProcess.tail(log));
        List<String> lines = Files.readAllLines(log);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("ladder train: the job stopped after step 2 of 4: LearnerActor.step: IllegalStateException: "
                + "injected failure at learner.step") && last.contains("--resume " + run + " continues from step-2"), last);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace on the terminal:\n" + String.join("\n", lines));
        assertTrue(Files.readString(run.resolve("ladder.log")).contains("at io.ladder.learner.LearnerActor.step"), "trace in ladder.log");
        JobProcess.run(tmp.resolve("resume.log"), 300, "train", "--resume", run.toString());
        assertTrue(Files.isRegularFile(run.resolve("summary.json")));
        assertEquals(4, EmbeddedJobTest.metrics(run).size(), "every step logged once");
    }
}
