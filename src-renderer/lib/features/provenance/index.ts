/**
 * Seeing provenance: the panel (shares, ground truth, detector comparison, verify, report and
 * bundle) and the timeline replay the Write view mounts, and the author colours the editor shares.
 */
export { default as ProvenancePanel } from './provenance-panel.svelte';
export { default as TimelineReplay } from './timeline-replay.svelte';
export { authorColor, authorColors, tint } from '../../../../src-main/authorship/common/author-colors';
