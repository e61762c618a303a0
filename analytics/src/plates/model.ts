// The recognizer: a small CNN whose shared features feed one softmax per character position
// (8 positions; 7-character plates emit "no character" in the last) and one for plate colour.
// Fixed-layout plates make position heads as accurate as CTC here, and far cheaper to train.
import type * as tf from '@tensorflow/tfjs';
import { MAX_LEN, PLATE_COLORS, VOCAB } from './grammar';
import { INPUT_H, INPUT_W } from './synth';

/** Every initializer and the dropout take a seed derived from `seed`, so training is repeatable. */
export function buildModel(tfl: typeof tf, seed = 1): tf.LayersModel {
  const L = tfl.layers;
  let n = seed * 100;
  const he = () => tfl.initializers.heNormal({ seed: ++n });
  const glorot = () => tfl.initializers.glorotUniform({ seed: ++n });
  const input = L.input({ shape: [INPUT_H, INPUT_W, 3], name: 'crop' });
  let x: tf.SymbolicTensor = input;
  const block = (filters: number, pool: boolean) => {
    // No batch norm: its gradient on wasm costs more (Tile) than all the convolutions together.
    x = L.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
    if (pool) x = L.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  };
  block(16, true); // 16×48
  block(32, true); // 8×24
  block(64, false);
  block(64, true); // 4×12
  block(96, false);
  x = L.conv2d({ filters: 32, kernelSize: 1, activation: 'relu', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
  x = L.flatten().apply(x) as tf.SymbolicTensor;
  x = L.dropout({ rate: 0.2, seed: ++n }).apply(x) as tf.SymbolicTensor;
  const features = L.dense({ units: 256, activation: 'relu', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
  let chars = L.dense({ units: MAX_LEN * VOCAB.length, kernelInitializer: glorot() }).apply(features) as tf.SymbolicTensor;
  chars = L.reshape({ targetShape: [MAX_LEN, VOCAB.length] }).apply(chars) as tf.SymbolicTensor;
  chars = L.softmax({ axis: -1, name: 'chars' }).apply(chars) as tf.SymbolicTensor;
  const color = L.dense({ units: PLATE_COLORS.length, activation: 'softmax', name: 'color', kernelInitializer: glorot() }).apply(features) as tf.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [chars, color], name: 'qly_plate_reader' });
}

/** Crops (uint8 RGB, INPUT_H×INPUT_W×3 each) → a normalised batch tensor. */
export function cropsToTensor(tfl: typeof tf, crops: readonly Uint8Array[]): tf.Tensor4D {
  const size = INPUT_H * INPUT_W * 3;
  const buf = new Float32Array(crops.length * size);
  crops.forEach((c, i) => {
    for (let j = 0; j < size; j++) buf[i * size + j] = c[j] / 255 - 0.5;
  });
  return tfl.tensor4d(buf, [crops.length, INPUT_H, INPUT_W, 3]);
}

/**
 * Categorical cross-entropy, averaged over character positions when there are several: one
 * number per sample, as tfjs-layers wants when it adds the losses of both heads.
 */
export function crossEntropy(tfl: typeof tf) {
  return (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tfl.tidy(() => {
      const ce = tfl.neg(tfl.sum(tfl.mul(yTrue, tfl.log(tfl.clipByValue(yPred, 1e-7, 1))), -1));
      return ce.rank > 1 ? tfl.mean(ce, -1) : ce;
    });
}
