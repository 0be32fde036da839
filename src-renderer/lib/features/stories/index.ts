/** The Stories view: runs (single and batch) watched live, the stored stories with analysis, dataset export. */
export { default as StoriesView } from './stories-view.svelte';
export { StoriesState, setupStories, useStories } from './stories-state.svelte';
