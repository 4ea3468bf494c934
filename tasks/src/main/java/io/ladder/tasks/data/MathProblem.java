package io.ladder.tasks.data;

/**
 * One math problem: a stable id, the question shown to the model, and the gold final answer
 * (bare LaTeX, without {@code \boxed{}}).
 */
public record MathProblem(String id, String question, String answer) {}
