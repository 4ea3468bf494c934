package io.ladder.coordinator.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PackerTest {
    /** Documents of lengths 1, 2, 3, ... whose tokens count up, so the packed stream must be 0, 1, 2, ... */
    static Pretrainer.Packer counting(int length) {
        int[] next = {0, 1};
        return new Pretrainer.Packer(length, () -> {
            int[] doc = IntStream.range(next[0], next[0] + next[1]).toArray();
            next[0] += next[1]++;
            return doc;
        });
    }

    @Test
    void rowsAreFullAndEveryTokenIsPackedOnceInOrderAcrossSteps() {
        Pretrainer.Packer p = counting(7);
        List<int[]> all = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            List<int[]> rows = p.rows(3);
            assertEquals(3, rows.size());
            rows.forEach(r -> assertEquals(7, r.length, "a full row, no padding"));
            all.addAll(rows);
        }
        int[] stream = all.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        assertArrayEquals(IntStream.range(0, 5 * 3 * 7).toArray(), stream, "documents split across rows and steps lose and repeat nothing");
    }

    @Test
    void aDocumentLongerThanARowFillsSeveralRows() {
        Pretrainer.Packer p = new Pretrainer.Packer(4, () -> IntStream.range(0, 10).toArray());
        List<int[]> rows = p.rows(3);
        assertArrayEquals(new int[] {0, 1, 2, 3}, rows.get(0));
        assertArrayEquals(new int[] {4, 5, 6, 7}, rows.get(1));
        assertArrayEquals(new int[] {8, 9, 0, 1}, rows.get(2));
    }
}
