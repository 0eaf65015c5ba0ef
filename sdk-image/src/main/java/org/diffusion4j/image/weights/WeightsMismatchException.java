package org.diffusion4j.image.weights;

import java.io.IOException;
import java.util.List;

/**
 * A weights file that does not fit the model: every missing, unexpected and wrongly-shaped tensor is
 * listed, so one run shows everything a conversion got wrong. Nothing is loaded when this is thrown.
 */
public final class WeightsMismatchException extends IOException {

    private static final long serialVersionUID = 1L;

    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> wrongShape;

    public WeightsMismatchException(String file, List<String> missing, List<String> unexpected, List<String> wrongShape) {
        super(file + ": weights do not match the model: " + missing.size() + " missing " + missing + "; "
                + unexpected.size() + " unexpected " + unexpected + "; " + wrongShape.size() + " wrongly shaped "
                + wrongShape);
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.wrongShape = List.copyOf(wrongShape);
    }

    public List<String> missing() {
        return missing;
    }

    public List<String> unexpected() {
        return unexpected;
    }

    /** Entries "name: expected S1, got S2". */
    public List<String> wrongShape() {
        return wrongShape;
    }
}
