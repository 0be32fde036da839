import { parseProviderRef } from '../../../../src-main/llm/common/provider-ref';

/** `1.4 GB`, `512 KB`: decimal units, as disks and downloads are sold. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

/** `45 s`, `3 min 20 s`, `1 h 5 min`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** `4k`, `128k`, `512` tokens. */
export function formatTokens(n: number | null | undefined): string {
  if (!n) return '–';
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024}k` : String(n);
}

/** What an author's provider ref means to a person. */
export function describeProvider(ref: string, endpointName: (id: string) => string | undefined): string {
  const p = parseProviderRef(ref);
  if (!p) return ref;
  if (p.kind === 'local') return 'Local engine';
  if (p.kind === 'ollama') return 'Ollama';
  if (p.kind === 'endpoint') return endpointName(p.id) ?? 'Removed endpoint';
  return `Pool “${p.name}”`;
}
