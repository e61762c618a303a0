// tensorflow.js on the wasm backend (XNNPACK, SIMD), loaded from node_modules: nothing downloads.
// The wasm backend has no Conv2DBackpropFilter (training would need the pure-JS cpu backend,
// ~50× slower), and its Conv2DBackpropInput is a naive loop. For the stride-1 convolutions the
// recognizer uses, both gradients are themselves convolutions, so we register kernels that run
// them on XNNPACK's forward Conv2D; other shapes take an im2col + BatchMatMul path.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, type BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';

let ready: Promise<typeof tf> | null = null;

/** Initialises the wasm backend once per process (single-threaded: the machine is shared). */
export function initTf(): Promise<typeof tf> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(dist + path.sep);
    registerGradientKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
    return tf;
  })();
  return ready;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

function callKernel(name: string, args: KernelArgs): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${name} missing`);
  return kernel.kernelFunc(args) as tf.TensorInfo;
}

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
type Shape4 = [number, number, number, number];

/** Runs a chain of wasm kernels, freeing every intermediate result but the last. */
function chain(backend: KernelArgs['backend'], first: tf.TensorInfo, steps: [string, Record<string, unknown>, tf.TensorInfo?][]): tf.TensorInfo {
  let cur = first;
  for (const [name, attrs, filter] of steps) {
    const inputs: Record<string, tf.TensorInfo> = name === 'Conv2D' ? { x: cur, filter: filter! } : { x: cur };
    const next = callKernel(name, { inputs, backend, attrs: attrs as KernelArgs['attrs'] });
    if (cur !== first) (backend as BackendWasm).disposeData(cur.dataId);
    cur = next;
  }
  return cur;
}

function convInfo(xShape: Shape4, filterShape: Shape4, attrs: ConvAttrs) {
  if (attrs.dataFormat !== 'NHWC') throw new Error('conv gradients (wasm): only NHWC');
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

const unitStride = (info: ReturnType<typeof convInfo>) => info.strideHeight === 1 && info.strideWidth === 1;

/** dW[i,j,c,o] = Σ xpad[b,y+i,x+j,c]·dy[b,y,x,o]: a valid convolution with batch and channels swapped. */
function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
  const info = convInfo(x.shape as Shape4, attrs.filterShape, attrs);
  if (!unitStride(info)) return conv2DBackpropFilterIm2col(x, dy, info, backend);
  const { top, bottom, left, right } = info.padInfo;
  const dyT = callKernel('Transpose', { inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
  const dw = chain(backend, x, [
    ['PadV2', { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }],
    ['Transpose', { perm: [3, 1, 2, 0] }],
    ['Conv2D', { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 }, dyT],
    ['Transpose', { perm: [1, 2, 0, 3] }],
  ]);
  (backend as BackendWasm).disposeData(dyT.dataId);
  return dw;
}

/** dx = dy ⊛ rot180(W)ᵀ: for stride 1 and centred padding, a plain convolution. */
function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
  const info = convInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const { top, bottom, left, right } = info.padInfo;
  const centred = top === bottom && left === right && top === (info.filterHeight - 1) / 2 && left === (info.filterWidth - 1) / 2;
  if (!unitStride(info) || !centred) return nativeBackpropInput(args) as tf.TensorInfo;
  const flipped = chain(backend, filter, [
    ['Reverse', { dims: [0, 1] }],
    ['Transpose', { perm: [0, 1, 3, 2] }],
  ]);
  const dx = callKernel('Conv2D', { inputs: { x: dy, filter: flipped }, backend, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 } });
  (backend as BackendWasm).disposeData(flipped.dataId);
  return dx;
}

let nativeBackpropInput: tf.KernelFunc;
let nativeBatchMatMul: tf.KernelFunc;

/**
 * The wasm BatchMatMul is fast (XNNPACK) only without transposes; with either flag it took ~13×
 * as long (the dense layers' gradients: 45 ms vs 3.4 ms for one [480,768]·[768,128] product).
 * Transposing the operand first costs well under a millisecond.
 */
function batchMatMul(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return nativeBatchMatMul(args) as tf.TensorInfo;
  const swapLast = (t: tf.TensorInfo) => {
    const perm = t.shape.map((_, i) => i);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
    return callKernel('Transpose', { inputs: { x: t }, backend, attrs: { perm } });
  };
  const at = transposeA ? swapLast(a) : a;
  const bt = transposeB ? swapLast(b) : b;
  const out = nativeBatchMatMul({ inputs: { a: at, b: bt }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
  if (at !== a) (backend as BackendWasm).disposeData(at.dataId);
  if (bt !== b) (backend as BackendWasm).disposeData(bt.dataId);
  return out;
}

/** dW = im2col(x)ᵀ · dy, with im2col in JS and the product in wasm (any stride, dilation 1). */
function conv2DBackpropFilterIm2col(x: tf.TensorInfo, dy: tf.TensorInfo, info: ReturnType<typeof convInfo>, backend: KernelArgs['backend']): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const filterShape: Shape4 = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const n = batchSize * outHeight * outWidth;
  const k = filterHeight * filterWidth * inChannels;

  const patches = wasm.makeOutput([1, n, k], 'float32');
  const cols = wasm.typedArrayFromHeap(patches) as Float32Array;
  const xv = wasm.typedArrayFromHeap(x) as Float32Array;
  cols.fill(0);
  let row = 0;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row++) {
        let o = row * k;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight - top + fy;
          if (iy < 0 || iy >= inHeight) {
            o += filterWidth * inChannels;
            continue;
          }
          for (let fx = 0; fx < filterWidth; fx++, o += inChannels) {
            const ix = ox * strideWidth - left + fx;
            if (ix < 0 || ix >= inWidth) continue;
            const src = xb + (iy * inWidth + ix) * inChannels;
            cols.set(xv.subarray(src, src + inChannels), o);
          }
        }
      }
    }
  }
  const dy3 = callKernel('Reshape', { inputs: { x: dy }, backend, attrs: { shape: [1, n, dy.shape[3]] } });
  const prod = callKernel('BatchMatMul', { inputs: { a: patches, b: dy3 }, backend, attrs: { transposeA: true, transposeB: false } });
  const dw = callKernel('Reshape', { inputs: { x: prod }, backend, attrs: { shape: filterShape } });
  wasm.disposeData(patches.dataId);
  wasm.disposeData(dy3.dataId);
  wasm.disposeData(prod.dataId);
  return dw;
}

let nativeMaxPoolGrad: tf.KernelFunc;

/**
 * dx of a 2×2 max pool with stride 2 and no padding (the recognizer's pools; others take the native
 * kernel): each dy goes to its window's first maximum. One pass in JS over the wasm heap is
 * ~8× faster than the native kernel (31 ms a step for the three pools, batch 32).
 */
function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = args.attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth } = info;
  const tiles2x2 = [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth].every((n) => n === 2) && info.padInfo.top === 0 && info.padInfo.left === 0;
  if (!tiles2x2) return nativeMaxPoolGrad(args) as tf.TensorInfo;
  const wasm = backend as BackendWasm;
  const dx = wasm.makeOutput(input.shape, 'float32');
  const out = wasm.typedArrayFromHeap(dx) as Float32Array;
  const xv = wasm.typedArrayFromHeap(input) as Float32Array;
  const dyv = wasm.typedArrayFromHeap(dy) as Float32Array;
  out.fill(0);
  const row = inWidth * ch;
  let d = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const corner = ((b * inHeight + oy * 2) * inWidth + ox * 2) * ch;
        for (let c = 0; c < ch; c++, d++) {
          // The window's first maximum, along its top row, then the next row.
          const at = corner + c;
          let best = at;
          let max = xv[at];
          if (xv[at + ch] > max) {
            max = xv[at + ch];
            best = at + ch;
          }
          if (xv[at + row] > max) {
            max = xv[at + row];
            best = at + row;
          }
          if (xv[at + row + ch] > max) best = at + row + ch;
          out[best] += dyv[d];
        }
      }
    }
  }
  return dx;
}

let registered = false;

function registerGradientKernels(): void {
  if (registered) return;
  registered = true;
  const native = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!native) throw new Error('wasm kernel Conv2DBackpropInput missing');
  nativeBackpropInput = native.kernelFunc;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  // The native kernel binds its wasm function in setupFunc, which the backend runs at init.
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput as tf.KernelFunc, setupFunc: native.setupFunc });
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as tf.KernelFunc });
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (!matMul) throw new Error('wasm kernel BatchMatMul missing');
  nativeBatchMatMul = matMul.kernelFunc;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul as tf.KernelFunc, setupFunc: matMul.setupFunc });
  const pool = tf.getKernel('MaxPoolGrad', 'wasm');
  if (!pool) throw new Error('wasm kernel MaxPoolGrad missing');
  nativeMaxPoolGrad = pool.kernelFunc;
  tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad as tf.KernelFunc, setupFunc: pool.setupFunc });
}
