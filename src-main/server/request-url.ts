/**
 * Parses a request target the way the server needs it: origin-form only (`/path?query`), never
 * throwing. `new URL('//x/y', base)` would read `x` as a host, so the target is appended to a fixed
 * origin instead of resolved against it. Returns null for anything else (absolute-form, `*`, junk).
 */
export function parseRequestTarget(target: string | undefined): URL | null {
  if (!target || !target.startsWith('/')) return null;
  try {
    return new URL(`http://127.0.0.1${target}`);
  } catch {
    return null;
  }
}

/**
 * Decodes a URL path for the file system: null when it is not valid percent-encoding (`%E0%A4%A`
 * throws URIError) or holds a NUL byte (fs calls throw on those synchronously).
 */
export function decodePathname(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  return decoded.includes('\0') ? null : decoded;
}
