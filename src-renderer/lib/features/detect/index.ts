/** The Detect view: check pasted text, files or folders for LLM involvement; reports and calibration. */
export { default as DetectView } from './detect-view.svelte';
export { DetectState, setupDetect, useDetect } from './detect-state.svelte';
