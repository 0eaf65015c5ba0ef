package org.diffusion4j.samples.text;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.diffusion4j.text.control.FieldClassifier;
import org.diffusion4j.text.model.DiffusionLmModel;

/** Loads the shipped model and classifiers, or a user's from a directory. */
final class Models {

    private Models() {
    }

    static DiffusionLmModel model(Path dir, NDManager manager) throws IOException {
        return dir == null ? DiffusionLmModel.loadShipped(manager) : DiffusionLmModel.load(dir, manager);
    }

    /** The classifier of {@code field}: {@code DIR/classifier-FIELD} when a model directory is given, else shipped. */
    static FieldClassifier classifier(Path modelDir, String field, NDManager manager) throws IOException {
        if (modelDir == null) {
            return FieldClassifier.loadResource(DiffusionLmModel.SHIPPED + "classifier-" + field + "/", manager);
        }
        return FieldClassifier.load(modelDir.resolve("classifier-" + field), manager);
    }
}
