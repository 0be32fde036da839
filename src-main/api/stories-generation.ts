/** Filled in by the capability's procedures. */
export const storyGenerationProcedures = {};
