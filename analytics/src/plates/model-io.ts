// A small IOHandler: model.json (topology + weight manifest) and weights.bin in a folder.
// tfjs's own file:// handler lives in tfjs-node, which cannot be installed offline.
import type * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type IOHandler = tf.io.IOHandler;
type ModelArtifacts = tf.io.ModelArtifacts;

export function fileModelHandler(dir: string): IOHandler {
  const jsonPath = path.join(dir, 'model.json');
  const binPath = path.join(dir, 'weights.bin');
  return {
    async save(artifacts: ModelArtifacts) {
      if (!(artifacts.weightData instanceof ArrayBuffer)) throw new Error('expected one weight buffer');
      mkdirSync(dir, { recursive: true });
      writeFileSync(binPath, Buffer.from(artifacts.weightData));
      const json = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      writeFileSync(jsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: artifacts.weightData.byteLength } };
    },
    async load() {
      const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
      const bin = readFileSync(binPath);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}
