/**
 * The one size limit for a user's file (a document to import, a file to check), shared by the
 * core and the renderer so both refuse the same files with the same words.
 */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The limit in words, e.g. "20 MB". */
export const MAX_FILE_SIZE_LABEL = `${MAX_FILE_BYTES / (1024 * 1024)} MB`;

/** "essay.txt is larger than 20 MB." */
export const fileTooLargeMessage = (name: string): string => `${name} is larger than ${MAX_FILE_SIZE_LABEL}.`;
