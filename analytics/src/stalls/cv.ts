// OpenCV (WebAssembly) loads asynchronously once per process. Its module object is a thenable
// whose `then` resolves to itself, so awaiting it directly never settles: wait for the runtime
// callback and drop `then` before handing the object out.
import cvModule from '@techstark/opencv-js';

export type CV = typeof cvModule;
type Loadable = CV & { calledRun?: boolean; onRuntimeInitialized?: () => void; then?: unknown };

let ready: Promise<CV> | undefined;

export function loadCv(): Promise<CV> {
  ready ??= new Promise<CV>((resolve) => {
    const m = cvModule as Loadable;
    const done = () => {
      delete m.then;
      resolve(m);
    };
    if (m.calledRun && typeof m.Mat === 'function') done();
    else m.onRuntimeInitialized = done;
  });
  return ready;
}
