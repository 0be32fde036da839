/**
 * What an author's `provider` field holds: `local`, `ollama`, `endpoint:<endpoint id>` or
 * `pool:<pool name>`. Parsed here once for the core and the UI.
 */
export type ParsedProviderRef =
  { kind: 'local' } | { kind: 'ollama' } | { kind: 'endpoint'; id: string } | { kind: 'pool'; name: string };

const ENDPOINT = 'endpoint:';
const POOL = 'pool:';

/** The provider ref of one OpenAI-compatible endpoint. */
export const endpointRef = (id: string): string => `${ENDPOINT}${id}`;

/** The provider ref of the endpoints that share a pool name. */
export const poolRef = (name: string): string => `${POOL}${name}`;

/** The parts of a provider ref, or null when it is not one. */
export function parseProviderRef(ref: string): ParsedProviderRef | null {
  if (ref === 'local' || ref === 'ollama') return { kind: ref };
  if (ref.startsWith(ENDPOINT) && ref.length > ENDPOINT.length)
    return { kind: 'endpoint', id: ref.slice(ENDPOINT.length) };
  if (ref.startsWith(POOL) && ref.length > POOL.length) return { kind: 'pool', name: ref.slice(POOL.length) };
  return null;
}
