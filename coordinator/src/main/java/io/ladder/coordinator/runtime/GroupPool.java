package io.ladder.coordinator.runtime;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * The coordinator's pool of trainer groups: work (a function of one group) waits for a free
 * group and runs on it, so SOAR's g×r student inner loops spread over however many groups the
 * cluster holds. On a cluster every group can be busy at once; in local mode one piece of work
 * runs at a time (Ray 2.39's local mode must keep one actor call in flight).
 */
public final class GroupPool implements AutoCloseable {
    private final List<TrainerGroup> groups;
    private final BlockingQueue<TrainerGroup> free;
    private final ExecutorService executor;

    public GroupPool(RayRuntime runtime, List<TrainerGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a group pool needs at least one trainer group");
        }
        this.groups = List.copyOf(groups);
        this.free = new LinkedBlockingQueue<>(groups);
        int threads = runtime.isLocal() ? 1 : groups.size();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ladder-group-pool");
            t.setDaemon(true);
            return t;
        });
    }

    public int size() {
        return groups.size();
    }

    public List<TrainerGroup> groups() {
        return groups;
    }

    /** Runs {@code work} on the next free group; the group is free again when it returns or throws. */
    public <T> CompletableFuture<T> submit(Function<TrainerGroup, T> work) {
        return CompletableFuture.supplyAsync(() -> {
            TrainerGroup g;
            try {
                g = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a free trainer group", e);
            }
            try {
                return work.apply(g);
            } finally {
                free.add(g);
            }
        }, executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        for (TrainerGroup g : groups) {
            g.close();
        }
    }
}
