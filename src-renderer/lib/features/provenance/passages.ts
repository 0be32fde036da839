/**
 * The detector's verdict beside the ground truth, passage by passage: for each ground-truth passage
 * (the share of its characters a model wrote), the detector's AI-likelihood and role there (segments
 * weighted by how much of the passage they cover). An abstained check gives no numbers, only why.
 */
import type { AbstainReason, DetectionResult, Role } from '../../../../src-main/detection/types';
import type { GroundTruth } from '../../../../src-main/authoring/common/contract';

export interface PassageComparison {
  start: number;
  end: number;
  /** Ground truth: share of the passage's characters written by a model. */
  llmShare: number;
  /** The detector's view of the passage; null where no detector segment covers it. */
  detector: { aiProbability: number; role: Role } | null;
  /** Both say "LLM" (share ≥ half / likelihood ≥ threshold) or both say "human"; null without a detector view. */
  agrees: boolean | null;
}

export type DetectorComparison =
  | { abstained: true; reason: AbstainReason | 'unknown' }
  | {
      abstained: false;
      role: Role;
      aiProbability: number;
      threshold: number;
      passages: PassageComparison[];
      /** Passages where both agree, out of those the detector judged. */
      agreed: number;
      judged: number;
    };

type Result = Pick<
  DetectionResult,
  'abstained' | 'abstain_reason' | 'segments' | 'threshold' | 'ai_probability' | 'role'
>;

/** Half of a passage written by a model counts as "LLM" on the ground-truth side. */
export const LLM_SHARE_CUT = 0.5;

export function comparePassages(truth: Pick<GroundTruth, 'passages'>, result: Result): DetectorComparison {
  if (result.abstained) return { abstained: true, reason: result.abstain_reason ?? 'unknown' };
  const segments = [...result.segments].sort((a, b) => a.start - b.start);
  const passages = truth.passages
    .filter((p) => p.end > p.start)
    .map((p): PassageComparison => {
      let covered = 0;
      let weighted = 0;
      let best: { overlap: number; role: Role } | null = null;
      for (const s of segments) {
        const overlap = Math.min(p.end, s.end) - Math.max(p.start, s.start);
        if (overlap <= 0) continue;
        covered += overlap;
        weighted += overlap * s.ai_probability;
        if (!best || overlap > best.overlap) best = { overlap, role: s.role };
      }
      // A detector that gave no segments judged the text as one passage.
      const detector =
        segments.length === 0
          ? { aiProbability: result.ai_probability, role: result.role }
          : best
            ? { aiProbability: weighted / covered, role: best.role }
            : null;
      const agrees = detector ? p.llmShare >= LLM_SHARE_CUT === detector.aiProbability >= result.threshold : null;
      return { start: p.start, end: p.end, llmShare: p.llmShare, detector, agrees };
    });
  const judged = passages.filter((p) => p.agrees !== null);
  return {
    abstained: false,
    role: result.role,
    aiProbability: result.ai_probability,
    threshold: result.threshold,
    passages,
    agreed: judged.filter((p) => p.agrees).length,
    judged: judged.length,
  };
}
