// OpenCV (WebAssembly) loads asynchronously once per process. Its module object is a thenable
// whose `then` resolves to itself, so awaiting it directly never settles: wait for the runtime
// callback and drop `then` before handing the object out.
import { createRequire } from 'node:module';
import type cvTypes from '@techstark/opencv-js';

export type CV = typeof cvTypes;
type Loadable = CV & { calledRun?: boolean; onRuntimeInitialized?: () => void; then?: unknown };

let ready: Promise<CV> | undefined;

export function loadCv(): Promise<CV> {
  ready ??= new Promise<CV>((resolve) => {
    // Loaded with Node's require so test runners never try to transform the 10 MB bundle.
    const m = createRequire(import.meta.url)('@techstark/opencv-js') as Loadable;
    const done = () => {
      delete m.then;
      resolve(m);
    };
    if (m.calledRun && typeof m.Mat === 'function') done();
    else m.onRuntimeInitialized = done;
  });
  return ready;
}
