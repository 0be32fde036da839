/** The Library view: reference documents, hybrid search, curation (pin, exclude, rate, rewrite) and personalization. */
export { default as LibraryView } from './library-view.svelte';
export { LibraryState, setupLibrary, useLibrary } from './library-state.svelte';
