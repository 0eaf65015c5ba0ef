package org.diffusion4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TimestepSpacingTest {

    /** diffusers' documented values for T = 1000, n = 10 (Lin et al. 2023, Table 2). */
    @Test
    void matchesDiffusersConventions() {
        assertArrayEquals(new int[] {900, 800, 700, 600, 500, 400, 300, 200, 100, 0},
                TimestepSpacing.LEADING.select(1000, 10));
        assertArrayEquals(new int[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99},
                TimestepSpacing.TRAILING.select(1000, 10));
        assertArrayEquals(new int[] {999, 888, 777, 666, 555, 444, 333, 222, 111, 0},
                TimestepSpacing.LINSPACE.select(1000, 10));
    }

    @Property(tries = 200)
    void distinctDescendingInRange(@ForAll @IntRange(min = 1, max = 2000) int total, @ForAll @IntRange(min = 1,
            max = 2000) int steps) {
        if (steps > total) {
            return;
        }
        for (TimestepSpacing s : TimestepSpacing.values()) {
            int[] ts = s.select(total, steps);
            assertTrue(ts.length == steps);
            for (int i = 0; i < ts.length; i++) {
                assertTrue(ts[i] >= 0 && ts[i] < total, s + " in range");
                assertTrue(i == 0 || ts[i] < ts[i - 1], s + " strictly descending");
            }
            if (s == TimestepSpacing.TRAILING || (s == TimestepSpacing.LINSPACE && steps > 1)) {
                assertTrue(ts[0] == total - 1, s + " starts at T-1 (numpy's linspace of one point is [0])");
            }
            if (s != TimestepSpacing.TRAILING) {
                assertTrue(ts[ts.length - 1] == 0, s + " ends at 0");
            }
        }
    }

    @Test
    void refusesBadCounts() {
        assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.LEADING.select(10, 11));
        assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.TRAILING.select(10, 0));
    }
}
