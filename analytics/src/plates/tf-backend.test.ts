import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initTf } from './tf-backend';

// The registered wasm gradient must match tfjs's reference (cpu backend) for the shapes we use.
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
    const xs = Array.from({ length: x.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37));
    const ws = Array.from({ length: f.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.11));
    // Both gradients at once: d/dW and d/dx of a loss over the convolution.
    const grad = () => {
      const g = tf.grads((xi: tf.Tensor, w: tf.Tensor) => tf.conv2d(xi as tf.Tensor4D, w as tf.Tensor4D, stride, pad).square().sum());
      return g([tf.tensor4d(xs, x), tf.tensor4d(ws, f)]).flatMap((t) => [...t.dataSync()]);
    };
    await tf.setBackend('cpu');
    const reference = grad();
    await initTf();
    await tf.setBackend('wasm');
    const got = grad();
    expect(tf.getBackend()).toBe('wasm');
    expect(got.length).toBe(reference.length);
    reference.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 3));
  });
});
