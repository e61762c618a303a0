// Which renderer draws which scene and variant.
import { createClassroom } from './classroom';
import { createGate } from './gate';
import { createStreet, STREET_VARIANTS } from './street';
import type { SceneName, SceneRenderer } from './types';

export const VARIANTS: Record<Exclude<SceneName, 'clock'>, readonly string[]> = {
  gate: ['default'],
  street: STREET_VARIANTS,
  classroom: ['default'],
};

export function defaultVariant(scene: SceneName): string {
  return scene === 'street' ? 'day' : 'default';
}

export function createRenderer(scene: SceneName, variant = defaultVariant(scene)): SceneRenderer {
  switch (scene) {
    case 'gate':
      return createGate(variant);
    case 'street':
      return createStreet(variant);
    case 'classroom':
      return createClassroom(variant);
    default:
      throw new Error(`scene "${scene}" is drawn live and has no pre-rendered loop`);
  }
}
