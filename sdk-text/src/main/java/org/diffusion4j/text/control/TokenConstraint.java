package org.diffusion4j.text.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;
import org.diffusion4j.text.model.RoundingOps;

/**
 * Known tokens at fixed positions of a length-L sequence, the input to masked generation (length control,
 * infilling): at every step the known positions of x are overwritten by their clean embeddings
 * ({@link #anchor}), as Diffusion-LM's infill task and DiffuSeq's "anchoring" do.
 *
 * @param ids   token ids [L]; the value at an unknown position is PAD and is ignored
 * @param known mask [L]: true where the token is fixed
 */
public record TokenConstraint(long[] ids, boolean[] known) {

    public TokenConstraint {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(known, "known");
        if (ids.length != known.length) {
            throw new IllegalArgumentException("known: expected length " + ids.length + " (as ids), got " + known.length);
        }
        ids = ids.clone();
        known = known.clone();
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    @Override
    public boolean[] known() {
        return known.clone();
    }

    public int length() {
        return ids.length;
    }

    public int knownCount() {
        int n = 0;
        for (boolean k : known) {
            n += k ? 1 : 0;
        }
        return n;
    }

    /** ids as int64 [L]. */
    public NDArray idArray(NDManager manager) {
        return manager.create(ids);
    }

    /** mask as boolean [L]. */
    public NDArray maskArray(NDManager manager) {
        return manager.create(known);
    }

    /** x [B, L, d] with the known positions replaced by E[ids]: where(mask, EMB(ids), x). */
    public NDArray anchor(NDArray x, NDArray embeddings) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(1) != ids.length) {
            throw new IllegalArgumentException("x: expected [B, " + ids.length + ", d], got " + s);
        }
        NDManager m = x.getManager();
        NDArray clean = RoundingOps.embed(embeddings, idArray(m)).expandDims(0);     // [1, L, d]
        NDArray mask = maskArray(m).toType(x.getDataType(), false).reshape(1, ids.length, 1);
        return clean.mul(mask).add(x.mul(mask.neg().add(1)));
    }

    @Override
    public String toString() {
        return "TokenConstraint[ids=" + Arrays.toString(ids) + ", known=" + Arrays.toString(known) + "]";
    }
}
