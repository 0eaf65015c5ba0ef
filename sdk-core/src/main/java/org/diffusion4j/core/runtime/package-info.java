/**
 * Process-wide settings of the native runtime under DJL that the SDK never applies by itself: glibc's malloc
 * thresholds ({@link org.diffusion4j.core.runtime.GlibcMalloc}) and libtorch's NNPACK switch
 * ({@link org.diffusion4j.core.runtime.ConvolutionBackends}). Applications (and the samples CLI) call them once.
 */
package org.diffusion4j.core.runtime;
