/** The Models view: providers, local models, catalog downloads, authors and the playground. */
export { default as ModelsView } from './models-view.svelte';
export { ModelsState, setupModels, useModels, type DownloadView } from './models-state.svelte';
export { PlaygroundState, type RunStats } from './playground-state.svelte';
