import { createRequire } from 'node:module';
import path from 'node:path';
import type { Worker } from 'tesseract.js';

/**
 * OCR through tesseract.js with the English model from the `@tesseract.js-data/eng` package, so it
 * works offline: langPath points at the package's folder and the cache is off (nothing is written
 * or fetched). One worker is started on first use and reused until `dispose()` (it takes ~1 s to start).
 */
export class OcrEngine {
  private worker: Promise<Worker> | null = null;

  /** Text recognised in an image (PNG, JPEG, WebP, BMP, GIF, TIFF bytes). */
  async recognize(image: Buffer | Uint8Array): Promise<string> {
    const worker = await this.start();
    const { data } = await worker.recognize(Buffer.from(image));
    return data.text;
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await (await w.catch(() => null))?.terminate();
  }

  private start(): Promise<Worker> {
    this.worker ??= (async () => {
      const { createWorker, OEM } = await import('tesseract.js');
      const require = createRequire(import.meta.url);
      const langPath = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
      return createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' });
    })();
    const current = this.worker;
    current.catch(() => {
      if (this.worker === current) this.worker = null;
    });
    return current;
  }
}
