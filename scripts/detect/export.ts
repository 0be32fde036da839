/** Writes the trained heads as one ONNX graph plus the manifest (feature spec + calibration). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { featureDim } from '../../src-main/detection/features';
import type { DetectorManifest } from '../../src-main/detection/manifest';
import type { Platt } from '../../src-main/detection/calibration';
import { REPO_ROOT } from './data';
import { encodeOnnx, type OnnxNode, type OnnxTensor } from './onnx-writer';
import type { Heads } from './pipeline';

export interface ExportInfo {
  platt: Platt;
  threshold: number;
  targetFpr: number;
  candidate: string;
  trainedOn: string[];
  oofHumanFpr: number;
}

export function exportModel(h: Heads, info: ExportInfo, outDir = path.join(REPO_ROOT, 'models', 'detect')): void {
  const dim = featureDim(h.spec);
  const init: OnnxTensor[] = [
    { name: 'W_role', dims: [dim, 4], data: h.role.W },
    { name: 'b_role', dims: [4], data: h.role.b },
    { name: 'W_ai', dims: [dim, 1], data: h.ai.W },
    { name: 'b_ai', dims: [1], data: h.ai.b },
    { name: 'W_inv', dims: [dim, 1], data: h.inv.W },
    { name: 'b_inv', dims: [1], data: h.inv.b },
  ];
  const nodes: OnnxNode[] = [];
  const m = h.mlp;
  const fromMlp = new Set(h.fromMlp);
  if (m) {
    // Style block = the last F columns of the input; one shared ReLU layer feeds the MLP heads.
    const H = 1 << h.spec.hashBits;
    init.length = 0;
    init.push(
      { name: 'slice_starts', dims: [1], data: BigInt64Array.from([BigInt(H)]) },
      { name: 'slice_ends', dims: [1], data: BigInt64Array.from([BigInt(H + m.f)]) },
      { name: 'slice_axes', dims: [1], data: BigInt64Array.from([1n]) },
      { name: 'W1', dims: [m.f, m.h], data: m.W1 },
      { name: 'b1', dims: [m.h], data: m.b1 },
    );
    nodes.push(
      { op: 'Slice', inputs: ['features', 'slice_starts', 'slice_ends', 'slice_axes'], outputs: ['style'] },
      { op: 'MatMul', inputs: ['style', 'W1'], outputs: ['h_mm'] },
      { op: 'Add', inputs: ['h_mm', 'b1'], outputs: ['h_pre'] },
      { op: 'Relu', inputs: ['h_pre'], outputs: ['hidden'] },
    );
  }
  const head = (
    name: 'role' | 'ai' | 'inv',
    lin: { W: Float32Array; b: Float32Array },
    k: number,
    mlpW: Float32Array | undefined,
    mlpB: Float32Array | undefined,
    out: string,
  ): void => {
    if (m && fromMlp.has(name)) {
      init.push({ name: `W_${name}`, dims: [m.h, k], data: mlpW! }, { name: `b_${name}`, dims: [k], data: mlpB! });
      nodes.push({ op: 'MatMul', inputs: ['hidden', `W_${name}`], outputs: [`${name}_mm`] });
    } else {
      if (m)
        init.push({ name: `W_${name}`, dims: [dim, k], data: lin.W }, { name: `b_${name}`, dims: [k], data: lin.b });
      nodes.push({ op: 'MatMul', inputs: ['features', `W_${name}`], outputs: [`${name}_mm`] });
    }
    nodes.push({ op: 'Add', inputs: [`${name}_mm`, `b_${name}`], outputs: [out] });
  };
  head('role', h.role, 4, m?.Wr, m?.br, 'role_logits');
  head('ai', h.ai, 1, m?.Wa, m?.ba, 'ai_logit');
  head('inv', h.inv, 1, m?.Wi, m?.bi, 'inv_logit');
  nodes.push(
    { op: 'Softmax', inputs: ['role_logits'], outputs: ['role_probs'], attrs: { axis: -1 } },
    { op: 'Sigmoid', inputs: ['inv_logit'], outputs: ['involvement'] },
  );
  const bytes = encodeOnnx({
    name: 'palimpsest_detect',
    nodes,
    initializers: init,
    inputs: [{ name: 'features', shape: ['N', dim] }],
    outputs: [
      { name: 'role_probs', shape: ['N', 4] },
      { name: 'ai_logit', shape: ['N', 1] },
      { name: 'involvement', shape: ['N', 1] },
    ],
    docString:
      'Palimpsest LLM-authorship detector: linear heads over hashed n-grams + style features (see MODEL_CARD.md).',
    metadata: { feature_spec: 'features.json' },
  });
  const manifest: DetectorManifest = {
    format: 'palimpsest-detect',
    version: 1,
    model: 'detector.onnx',
    createdAt: new Date().toISOString(),
    candidate: info.candidate,
    trainedOn: info.trainedOn,
    spec: h.spec,
    calibration: {
      platt: info.platt,
      threshold: info.threshold,
      targetFpr: info.targetFpr,
      oofHumanFpr: info.oofHumanFpr,
    },
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'detector.onnx'), bytes);
  writeFileSync(path.join(outDir, 'features.json'), JSON.stringify(manifest));
}
