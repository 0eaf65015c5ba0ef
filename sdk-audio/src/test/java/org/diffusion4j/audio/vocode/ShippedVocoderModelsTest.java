package org.diffusion4j.audio.vocode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.diffusion4j.audio.io.WavReader;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.audio.metrics.LogMelDistance;
import org.diffusion4j.audio.model.WaveGrad;
import org.diffusion4j.audio.model.WaveGradConfig;
import org.diffusion4j.audio.schedule.InferenceSchedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vocoders the project ships (sdk-audio/models/, what the demo and {@code audio vocode --model} load): each loads
 * with the network and mel recipe its MODEL.md states, carries a searched 6-step schedule, and its weights make audio
 * from the mel: closer to the reference than Gaussian noise of the same loudness and than the same network untrained
 * (what a weight file whose tensors failed to load, or loaded into the wrong places, would come close to). The
 * comparisons have no tuned margin; measured on these 30 frames: small 4.21 (noise-level scale 5000, step 190,000 with
 * L2 on the noise for its last 10,000 steps, 2026-11-27; 4.69 at step 180,000, 5.06 at step 160,000, 5.19 at step 148,000, 5.32 at step 128,000, 5.45 at step 120,000, 5.35 at step 100,000, 5.41 at step 88,000, 5.60 at step 66,000, 6.08 at step 44,000, 6.76 for the scale-1 step-50,000 weights shipped before),
 * wide 7.22 (step 38,000), noise 12.7 and 12.1, the untrained networks 33.2 and 34.4, as this test prints them (`mvn -B -pl sdk-audio -am test
 * -Dtest=ShippedVocoderModelsTest -Dsurefire.failIfNoSpecifiedTests=false`; docs/benchmarks.md has the whole-clip
 * figures).
 */
class ShippedVocoderModelsTest {

    static Stream<Arguments> shipped() {
        // The shipped small model was trained with the WaveGrad paper's noise-level scale (its MODEL.md).
        WaveGradConfig smallScale5000 = WaveGradConfig.small().toBuilder().noiseLevelScale(5000).build();
        return Stream.of(Arguments.of("wavegrad-small", smallScale5000, 306_145L),
                Arguments.of("wavegrad-wide", WaveGradConfig.wide(), 362_241L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void loadsAsDocumentedAndVocodesAHeldOutVoiceBetterThanNoise(String name, WaveGradConfig config, long parameters)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel model = VocoderModel.load(Path.of("models", name), manager);
            assertEquals(config, model.model().config());
            assertEquals(parameters, model.model().parameterCount());
            assertEquals(MelRecipe.wavegrad(22050), model.recipe());
            InferenceSchedule searched = model.schedule(6);
            assertEquals("searched-6", searched.name());

            // hs036: the voice en+m3, never trained on. First 30 frames (9,000 samples) to keep the test short.
            float[] clip = Arrays.copyOf(WavReader.read(Path.of("data", "espeak-30", "hs036.wav")).samples(), 9_000);
            float[][] mel = model.melSpectrogram().compute(clip);
            float[] vocoded = Arrays.copyOf(new WaveGradVocoder(model.model(), manager).vocode(mel, searched, 0L), clip.length);
            for (float v : vocoded) {
                assertTrue(Float.isFinite(v) && Math.abs(v) <= 1f, "sample outside [-1, 1]: " + v);
            }
            // Gaussian noise of the vocoded output's RMS: what weights that ignore the mel would give at best.
            double energy = 0;
            for (float v : vocoded) {
                energy += v * v;
            }
            double rms = Math.sqrt(energy / vocoded.length);
            Random rng = new Random(1);
            float[] noise = new float[clip.length];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (rng.nextGaussian() * rms);
            }
            manager.getEngine().setRandomSeed(3);
            WaveGrad untrained = new WaveGrad(config);
            untrained.initialize(manager, DataType.FLOAT32);
            float[] fromUntrained = Arrays.copyOf(new WaveGradVocoder(untrained, manager).vocode(mel, searched, 0L), clip.length);
            LogMelDistance d = LogMelDistance.wavegrad(22050);
            double ours = d.distance(clip, vocoded);
            double noiseDistance = d.distance(clip, noise);
            double untrainedDistance = d.distance(clip, fromUntrained);
            String figures = name + ": log-mel distance " + ours + ", noise of the same RMS " + noiseDistance
                    + ", the network untrained " + untrainedDistance;
            System.out.println(figures);   // the values recorded in this class's javadoc (Surefire shows test output)
            assertTrue(ours < noiseDistance, figures);
            assertTrue(ours < untrainedDistance, figures);
        }
    }

    /** sdk-audio's jar carries the same model as the folder it is built from: every tensor, the recipe, the schedules. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void theJarCarriesTheShippedFolderBitForBit(String name, WaveGradConfig config, long parameters) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            VocoderModel fromFolder = VocoderModel.load(Path.of("models", name), manager);
            VocoderModel fromJar = VocoderModel.loadShipped(name, manager);
            assertEquals(VocoderSource.shipped(name), fromJar.source());
            assertEquals(config, fromJar.model().config());
            assertEquals(fromFolder.recipe(), fromJar.recipe());
            assertEquals(fromFolder.searched(), fromJar.searched());
            assertEquals(java.util.Set.of(6), fromJar.searched().keySet());
            var a = fromFolder.model().parameters();
            var b = fromJar.model().parameters();
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(k).getArray().toFloatArray(),
                        b.get(k).getArray().toFloatArray(), 0f, k);
            }
        }
    }
}
