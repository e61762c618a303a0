// The recognizer: a small CNN, then one "slot" per character position. Each slot samples a small
// window of the feature map (TAPS cells: every row × 3 columns around where that character sits on
// a rectified plate) through a learned linear map that starts as exactly that sampling, and one
// classifier shared by all slots reads the window: every character of every plate trains the same
// classifier, which learns ~7× faster than a separate head per position. 7- and 8-character plates
// put their characters in different places, so each layout has its own slots (SLOTS_7, then
// SLOTS_8); the loss covers only the layout of the plate, and a colour head picks the layout.
import type * as tf from '@tensorflow/tfjs';
import { PLATE_COLORS, VOCAB } from './grammar';
import { INPUT_H, INPUT_W } from './synth';

export const SLOTS_7 = 7;
export const SLOTS_8 = 8;
export const SLOTS = SLOTS_7 + SLOTS_8;
const FEATURES = 64;
const ROWS = INPUT_H / 8;
const COLS = INPUT_W / 8;
/** Column offsets (in feature cells) of a slot's window around its character centre. */
const TAP_OFFSETS = [-0.75, 0, 0.75];
const TAPS = ROWS * TAP_OFFSETS.length;

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
  // Kept small on purpose: training must fit in ~30 min of one niced core on a shared machine.
  block(12, true); // 16×48
  block(24, true); // 8×24
  block(48, true); // 4×12
  block(FEATURES, false);
  const cells = ROWS * COLS;
  x = L.reshape({ targetShape: [cells, FEATURES] }).apply(x) as tf.SymbolicTensor;
  // Global features (plate colour, layout) before the slots pick their cells.
  const pooled = L.globalAveragePooling1d().apply(x) as tf.SymbolicTensor;
  x = L.permute({ dims: [2, 1] }).apply(x) as tf.SymbolicTensor; // [FEATURES, cells]
  x = L.dense({ units: SLOTS * TAPS, useBias: false, name: 'slots' }).apply(x) as tf.SymbolicTensor; // [FEATURES, SLOTS·TAPS]
  x = L.permute({ dims: [2, 1] }).apply(x) as tf.SymbolicTensor; // [SLOTS·TAPS, FEATURES]
  x = L.reshape({ targetShape: [SLOTS, TAPS * FEATURES] }).apply(x) as tf.SymbolicTensor;
  x = L.dense({ units: 128, activation: 'relu', kernelInitializer: he() }).apply(x) as tf.SymbolicTensor;
  x = L.dropout({ rate: 0.15, seed: ++n }).apply(x) as tf.SymbolicTensor;
  let chars = L.dense({ units: VOCAB.length, kernelInitializer: glorot() }).apply(x) as tf.SymbolicTensor;
  chars = L.softmax({ axis: -1, name: 'chars' }).apply(chars) as tf.SymbolicTensor;
  const hidden = L.dense({ units: 64, activation: 'relu', kernelInitializer: he() }).apply(pooled) as tf.SymbolicTensor;
  const color = L.dense({ units: PLATE_COLORS.length, activation: 'softmax', name: 'color', kernelInitializer: glorot() }).apply(hidden) as tf.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: [chars, color], name: 'qly_plate_reader' });
  model.getLayer('slots').setWeights([tfl.tensor2d(slotWindows(), [cells, SLOTS * TAPS])]);
  return model;
}

// Character centres across the plate (fraction of its width), from the GA 36-2018 layout that
// render.ts draws: 440 mm plates with 7 characters, 480 mm new-energy plates with 8.
const CENTRES_7 = [38, 95, 174, 231, 288, 345, 402].map((mm) => mm / 440);
const CENTRES_8 = [38, 90, 182, 234, 286, 338, 390, 442].map((mm) => mm / 480);
/** Crops frame the plate with ~3.5 % margin on each side (synth.ts, detect.ts). */
const MARGIN = 0.035;

/**
 * Starting weights for the slots: slot s, tap (row r, offset j) reads row r at the column where
 * character s sits plus offset j, by linear interpolation between the two nearest columns.
 * Training refines them; without this the slots must first discover where characters are, which
 * costs most of a short training run.
 */
export function slotWindows(): Float32Array {
  const centres = [...CENTRES_7, ...CENTRES_8];
  const w = new Float32Array(ROWS * COLS * SLOTS * TAPS);
  centres.forEach((c, slot) => {
    const centreCol = (MARGIN + c * (1 - 2 * MARGIN)) * COLS - 0.5;
    TAP_OFFSETS.forEach((off, j) => {
      const col = Math.min(COLS - 1, Math.max(0, centreCol + off));
      const lo = Math.floor(col);
      const hi = Math.min(COLS - 1, lo + 1);
      for (let r = 0; r < ROWS; r++) {
        const out = slot * TAPS + r * TAP_OFFSETS.length + j;
        w[(r * COLS + lo) * SLOTS * TAPS + out] += 1 - (col - lo);
        w[(r * COLS + hi) * SLOTS * TAPS + out] += col - lo;
      }
    });
  });
  return w;
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
 * Categorical cross-entropy, one number per sample as tfjs-layers wants. For the slots it is the
 * mean over the labelled slots only: slots of the other layout have all-zero targets.
 */
export function crossEntropy(tfl: typeof tf) {
  return (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tfl.tidy(() => {
      const ce = tfl.neg(tfl.sum(tfl.mul(yTrue, tfl.log(tfl.clipByValue(yPred, 1e-7, 1))), -1));
      if (ce.rank === 1) return ce;
      return tfl.div(tfl.sum(ce, -1), tfl.maximum(tfl.sum(yTrue, [-2, -1]), 1));
    });
}
