// Detached renderer started by renderScene (with QLY_SCENE_RENDER_INLINE=1): renders one loop into
// the cache and exits, whether or not whoever asked for it is still waiting.
import { renderScene } from './render-scene';
import type { SceneName } from './types';

const [scene, variant, outDir] = process.argv.slice(2);
renderScene(scene as SceneName, variant, outDir).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
