import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initTf } from './tf-backend';

const values = (shape: number[], f: (i: number) => number) => Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => f(i));

/** Runs `fn` on tfjs's reference (cpu) backend and on wasm with our kernels; returns both. */
async function onBothBackends(fn: () => number[]): Promise<{ reference: number[]; got: number[] }> {
  await tf.setBackend('cpu');
  const reference = fn();
  await initTf();
  await tf.setBackend('wasm');
  const got = fn();
  expect(tf.getBackend()).toBe('wasm');
  return { reference, got };
}

function expectClose({ reference, got }: { reference: number[]; got: number[] }): void {
  expect(got.length).toBe(reference.length);
  reference.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 3));
}

// The registered wasm kernels must match tfjs's reference (cpu backend) for the shapes we use.
describe('conv gradients on wasm', () => {
  const cases: { x: [number, number, number, number]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 8, 12, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
    { x: [1, 9, 7, 2], f: [3, 3, 2, 5], stride: 2, pad: 'same' },
    { x: [3, 6, 6, 4], f: [1, 1, 4, 2], stride: 1, pad: 'valid' },
    { x: [1, 7, 9, 1], f: [3, 2, 1, 3], stride: 1, pad: 'valid' },
    { x: [2, 8, 10, 3], f: [5, 5, 3, 2], stride: 1, pad: 'same' },
    { x: [1, 8, 8, 2], f: [2, 2, 2, 2], stride: 1, pad: 'same' },
  ];

  it.each(cases)('matches the cpu backend for x=$x f=$f stride=$stride pad=$pad', async ({ x, f, stride, pad }) => {
    const xs = values(x, (i) => Math.sin(i * 0.37));
    const ws = values(f, (i) => Math.cos(i * 0.11));
    // Both gradients at once: d/dW and d/dx of a loss over the convolution.
    const grad = () => {
      const g = tf.grads((xi: tf.Tensor, w: tf.Tensor) => tf.conv2d(xi as tf.Tensor4D, w as tf.Tensor4D, stride, pad).square().sum());
      return g([tf.tensor4d(xs, x), tf.tensor4d(ws, f)]).flatMap((t) => [...t.dataSync()]);
    };
    expectClose(await onBothBackends(grad));
  });
});

describe('matrix products with transposes on wasm', () => {
  const cases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
    { a: [5, 7], b: [6, 7], transposeA: false, transposeB: true },
    { a: [7, 5], b: [7, 6], transposeA: true, transposeB: false },
    { a: [7, 5], b: [6, 7], transposeA: true, transposeB: true },
    { a: [2, 9, 4], b: [2, 3, 4], transposeA: false, transposeB: true },
    { a: [1, 4, 9], b: [1, 4, 3], transposeA: true, transposeB: false },
    { a: [3, 4], b: [4, 2], transposeA: false, transposeB: false },
  ];

  it.each(cases)('matches the cpu backend for a=$a b=$b transposeA=$transposeA transposeB=$transposeB', async ({ a, b, transposeA, transposeB }) => {
    const product = () => [...tf.matMul(tf.tensor(values(a, (i) => Math.sin(i * 0.7)), a), tf.tensor(values(b, (i) => Math.cos(i * 0.3)), b), transposeA, transposeB).dataSync()];
    expectClose(await onBothBackends(product));
  });
});

describe('max pool gradient on wasm', () => {
  // Only windows that tile the input: others take tfjs's native kernel, which (tfjs 4.22) disagrees
  // with the cpu backend for overlapping padded windows; the recognizer has none.
  const cases: { x: [number, number, number, number]; size: number; stride: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 8, 12, 3], size: 2, stride: 2, pad: 'valid' },
    // An odd size leaves a last row and column that no window reads: their gradient is 0.
    { x: [1, 9, 7, 2], size: 2, stride: 2, pad: 'valid' },
  ];

  it.each(cases)('matches the cpu backend for x=$x size=$size stride=$stride pad=$pad', async ({ x, size, stride, pad }) => {
    const xs = values(x, (i) => Math.sin(i * 0.37 + 0.1));
    const grad = () => {
      // Weighted so that each output's gradient differs and a misrouted one shows.
      const g = tf.grad((xi: tf.Tensor) => {
        const y = tf.maxPool(xi as tf.Tensor4D, size, stride, pad);
        return y.mul(tf.linspace(1, 2, y.size).reshape(y.shape)).sum();
      });
      return [...g(tf.tensor4d(xs, x)).dataSync()];
    };
    expectClose(await onBothBackends(grad));
  });
});
