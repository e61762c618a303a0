// Public entry points of the camera simulator. camera-sim imports nothing from the rest of the repo.
export { startCameraSim } from './sim';
export { renderScene, SCENE_VERSION, sceneCacheDir } from './scenes/render-scene';
export { decodeClockFrame } from './scenes/clock-code';
export type { CameraSimHandle, CameraSpec, FaultControl, FaultState, SimCamera, StartOptions } from './api-types';
export type { Box, ClassroomTruth, ClockTruth, GateTruth, PasserTruth, PlateType, SceneName, SceneTruth, StallTruth, StreetTruth, VehicleTruth } from './scenes/types';
