package org.diffusion4j.core.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NativeArraysTest {


    @Test
    void aViewOutlivesTheClosedScopeThatCreatedItsSource() throws InterruptedException {
        float[] data = new float[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        try (NDManager outer = NDManager.newBaseManager()) {
            NDArray view;
            try (NDManager inner = outer.newSubManager()) {
                view = NativeArrays.copyOf(inner, data, new Shape(16, 16)).reshape(256);
                view.attach(outer);
            }
            FreedMemory.collectAndOverwrite(outer);
            assertArrayEquals(data, view.toFloatArray());
        }
    }

    @Test
    void gradientsStayFiniteWhenTheForwardScopeClosesBeforeBackward() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {0.5f, -1.5f, 2f, 0.25f});
            w.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss;
                try (NDManager forward = m.newSubManager()) {
                    NDArray c = NativeArrays.copyOf(forward, new float[] {1f, 2f, 3f, 4f}, new Shape(4));
                    // y = w * c: autograd saves c to compute dy/dw.
                    NDArray y = w.mul(c).sum();
                    y.attach(m);
                    loss = y;
                }
                FreedMemory.collectAndOverwrite(m);
                gc.backward(loss);
            }
            float[] grad = w.getGradient().toFloatArray();
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, grad);
            for (float g : grad) {
                assertTrue(Float.isFinite(g));
            }
        }
    }

    /**
     * The staging memory of a copy is freed as soon as the copy is made (DirectBuffers), and the next copies of the
     * same size take that memory again: a copy that still pointed at its staging buffer would now read their NaNs.
     */
    @Property(tries = 30)
    void copiesOwnTheirMemoryOnceTheStagingBufferIsFreed(@ForAll @IntRange(min = 1, max = 4) int rank,
                                                        @ForAll("sides") int[] sides, @ForAll long seed) {
        long[] dims = new long[rank];
        int n = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = sides[i];
            n *= sides[i];
        }
        java.util.Random r = new java.util.Random(seed);
        float[] f = new float[n];
        double[] d = new double[n];
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
            d[i] = r.nextGaussian();
            l[i] = r.nextLong();
        }
        float[] nanF = new float[n];
        double[] nanD = new double[n];
        java.util.Arrays.fill(nanF, Float.NaN);
        java.util.Arrays.fill(nanD, Double.NaN);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = NativeArrays.copyOf(m, f, new Shape(dims));
            NDArray b = NativeArrays.copyOf(m, d, new Shape(dims));
            NDArray c = NativeArrays.copyOf(m, l);
            for (int i = 0; i < 16; i++) {
                NativeArrays.copyOf(m, nanF, new Shape(dims)).close();
                NativeArrays.copyOf(m, nanD, new Shape(dims)).close();
                NativeArrays.copyOf(m, new long[n]).close();
            }
            assertEquals(new Shape(dims), a.getShape());
            assertArrayEquals(f, a.toFloatArray());
            assertArrayEquals(d, b.toDoubleArray());
            assertArrayEquals(l, c.toLongArray());
        }
    }

    @Provide
    Arbitrary<int[]> sides() {
        return Arbitraries.integers().between(1, 9).array(int[].class).ofSize(4);
    }

    @Test
    void aShapeThatDoesNotHoldTheDataIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeArrays.copyOf(m, new float[6], new Shape(4, 2)));
            assertEquals("shape: expected 6 elements (the data's), got (4, 2) (8)", e.getMessage());
        }
        assertTrue(DirectBuffers.freesImmediately(), "this JDK (17) frees direct buffers on request");
        assertThrows(IllegalArgumentException.class, () -> DirectBuffers.free(java.nio.ByteBuffer.allocate(4)));
    }

    @Test
    void copiesKeepEveryElementType() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {3, -4}, NativeArrays.copyOf(m, new long[] {3, -4}).toLongArray());
            assertArrayEquals(new double[] {0.1, 0.2}, NativeArrays.copyOf(m, new double[] {0.1, 0.2}, new Shape(2))
                    .toDoubleArray());
            assertArrayEquals(new boolean[] {true, false}, NativeArrays.copyOf(m, new boolean[] {true, false})
                    .toBooleanArray());
        }
    }

    @Test
    void viewInPutsOpResultsInTheScopeAndKeepsTheParameterAndItsGradient() {
        try (NDManager model = NDManager.newBaseManager(); NDManager scope = NDManager.newBaseManager()) {
            NDArray w = NativeArrays.copyOf(model, new float[] {1, 2, 3, 4}, new Shape(2, 2));
            w.setRequiresGradient(true);
            assertSame(w, NativeArrays.viewIn(w, model), "no view needed in the parameter's own manager");
            int before = model.getManagedArrays().size();
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray v = NativeArrays.viewIn(w, scope);
                NDArray y = v.transpose().mul(scope.create(new float[] {1, 10, 100, 1000}, new Shape(2, 2)));
                assertSame(scope, y.getManager());
                gc.backward(y.sum());
            }
            assertEquals(before, model.getManagedArrays().size(), "nothing new in the parameter's manager");
            // d/dw of Σ wᵀ ⊙ c is cᵀ
            assertArrayEquals(new float[] {1, 100, 10, 1000}, w.getGradient().toFloatArray());
            scope.close();
            assertArrayEquals(new float[] {1, 2, 3, 4}, w.toFloatArray(), "closing the view's scope keeps the parameter");
        }
    }

    @Test
    void freeingIntermediatesLeavesOnlyTheOutputAndKeepsInputAndBorrowedArrays() {
        try (NDManager owner = NDManager.newBaseManager(); NDManager other = NDManager.newBaseManager()) {
            NDArray x = NativeArrays.copyOf(owner, new float[] {1, 2, 3}, new Shape(3));
            NDArray emb = NativeArrays.copyOf(other, new float[] {10, 20, 30}, new Shape(3));
            int ownerBefore = owner.getManagedArrays().size();
            int otherBefore = other.getManagedArrays().size();
            // (x·2 + emb)·x: three intermediates and one result
            NDArray y = NativeArrays.freeingIntermediates(x, false, in -> in.mul(2).add(emb.mul(1)).mul(in), emb);
            assertEquals(ownerBefore + 1, owner.getManagedArrays().size(), "arrays in the input's manager");
            assertEquals(otherBefore, other.getManagedArrays().size(), "arrays in the borrowed array's manager");
            assertSame(owner, y.getManager());
            assertSame(owner, x.getManager());
            assertSame(other, emb.getManager());
            assertArrayEquals(new float[] {12, 48, 108}, y.toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray());
            assertArrayEquals(new float[] {10, 20, 30}, emb.toFloatArray());

            NDArray z = NativeArrays.freeingIntermediates(y, true, in -> in.add(1));
            assertTrue(y.isReleased(), "a consumed input is closed with the scope");
            assertArrayEquals(new float[] {13, 49, 109}, z.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> NativeArrays.freeingIntermediates(x, false, in -> in.add(1), x));
        }
    }

    @Test
    void gradientsFlowThroughLayersWhoseIntermediatesWereFreed() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = NativeArrays.copyOf(m, new float[] {0.5f, -1.5f, 2f}, new Shape(3));
            w.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss;
                try (NDManager forward = m.newSubManager()) {
                    NDArray x = NativeArrays.copyOf(forward, new float[] {1f, 2f, 3f}, new Shape(3));
                    // h = (x·w)², then loss = Σ h·x: backward needs x·w and x, whose handles are closed by then
                    NDArray h = NativeArrays.freeingIntermediates(x, false, in -> {
                        NDArray xw = in.mul(NativeArrays.viewIn(w, in.getManager()));
                        return xw.mul(xw);
                    });
                    NDArray out = NativeArrays.freeingIntermediates(h, true, in -> in.mul(x).sum());
                    out.attach(m);
                    loss = out;
                }
                FreedMemory.collectAndOverwrite(m);
                gc.backward(loss);
            }
            // d/dw Σ x³w² = 2·x³·w
            assertArrayEquals(new float[] {2 * 1 * 0.5f, 2 * 8 * -1.5f, 2 * 27 * 2f}, w.getGradient().toFloatArray(), 1e-5f);
        }
    }
}
