/** Limits on what a check accepts, shared by the API's validation, the check service and the UI. */
import { MAX_FILE_BYTES } from '../../core/common/file-limits';

export { fileTooLargeMessage, MAX_FILE_SIZE_LABEL } from '../../core/common/file-limits';

/** Largest file a check accepts (the same limit as a document import). */
export const MAX_UPLOAD_BYTES = MAX_FILE_BYTES;

/** The same limit once the bytes are base64 (4 characters per 3 bytes), as the UI uploads them. */
export const MAX_UPLOAD_BASE64_CHARS = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4;
