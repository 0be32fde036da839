/**
 * The largest request body (HTTP) or message (WebSocket) the API reads, in bytes. The largest
 * legitimate request is `checks.extractFile` with a 20 MB file: about 27.96 M base64 characters
 * plus the name and JSON around it (see checks.ts). 32 MiB leaves room for that and for a batch
 * check of a folder of essays sent as text; the server refuses larger bodies while they stream in.
 */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** What the user reads when a request is over MAX_REQUEST_BYTES (HTTP 413). */
export const REQUEST_TOO_LARGE_MESSAGE = `This request is larger than ${MAX_REQUEST_BYTES / (1024 * 1024)} MB, the most Palimpsest accepts at once. Send fewer or smaller files at a time.`;
